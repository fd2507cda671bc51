using System.Globalization;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Semantic;

/// <summary>Turns request messages into SQL fragments whose identifiers come from fixed lists and whose values are parameters.</summary>
public static class QueryArguments
{
    public static readonly DateOnly Earliest = new(2015, 1, 1);

    public static readonly DateOnly Latest = new(2030, 12, 1);

    /// <summary>The first day of each end of the month range ("yyyy-mm", both optional).</summary>
    public static (DateOnly From, DateOnly To) Months(PeriodRange? range)
    {
        var from = Month(range?.FromMonth, "period.from_month") ?? Earliest;
        var to = Month(range?.ToMonth, "period.to_month") ?? Latest;
        if (to < from) throw new BadArgumentException("period", "to_month is before from_month");
        return (from, to);
    }

    private static DateOnly? Month(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            || month < Earliest || month > Latest)
        {
            throw new BadArgumentException(field, $"'{text}' is not a month written yyyy-mm between 2015-01 and 2030-12");
        }
        return month;
    }

    /// <summary>Grouping columns for an organisation level (fixed identifiers).</summary>
    public static string[] OrgColumns(OrgLevel level) => level switch
    {
        OrgLevel.Unspecified or OrgLevel.Council => ["la_code"],
        OrgLevel.ServiceArea => ["la_code", "service_area"],
        OrgLevel.Team => ["la_code", "service_area", "team_id", "team_name"],
        _ => throw new BadArgumentException("group_by", $"unknown organisation level {(int)level}"),
    };

    /// <summary>
    /// "AND la_code IN ($la_0, …)" for each non-empty list, adding the values as parameters.
    /// </summary>
    public static string ScopeFilter(Scope? scope, Dictionary<string, object?> parameters)
    {
        var sql = new List<string>();
        Add("la_code", "la", scope?.LaCodes);
        Add("service_area", "area", scope?.ServiceAreas);
        Add("team_id", "team", scope?.TeamIds);
        return string.Concat(sql);

        void Add(string column, string prefix, IEnumerable<string>? values)
        {
            var list = values?.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToList();
            if (list is null || list.Count == 0) return;
            var names = new List<string>();
            for (var i = 0; i < list.Count; i++)
            {
                var name = $"{prefix}_{i}";
                parameters[name] = list[i];
                names.Add("$" + name);
            }
            sql.Add($" AND {column} IN ({string.Join(", ", names)})");
        }
    }
}
