using System.Globalization;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>How far worse than target, in the KPI's own unit (percentage points for rates), is still amber.</summary>
    public const double AmberPoints = 5;

    private static readonly IReadOnlyList<MeasureColumn> KpiColumns =
    [
        new("n", "kpi_months"), new("numerator", "kpi_numerator"), new("denominator", "kpi_denominator"), new("value", "kpi_value"),
    ];

    public Task<TableResult> KpiTrendAsync(KpiTrendRequest request, Caller caller, CancellationToken ct)
    {
        RequestLimits.CheckList("kpi_codes", request.KpiCodes);
        var codes = request.KpiCodes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim().ToUpperInvariant()).Distinct().ToList();
        var spec = Spec(KpiColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Dimensions = ["kpi_code"], Filters = codes.Count == 0 ? [] : new Dictionary<string, IReadOnlyList<string>> { ["kpi_code"] = codes },
            Compare = ["value"],
        };
        return SemanticAsync("kpi_trend", caller, spec,
            query =>
            {
                var (value, target, polarity) = (query.Number("value"), query.NumericAttribute("target"), query.TextAttribute("polarity"));
                return [new ExtraColumn("rag", ExtraType.String, row => Rag(value(row), target(row), polarity(row)))];
            },
            policy =>
            {
                List<string> notes =
                [
                    "Rate KPIs: value = 100 × numerator / denominator, summed over the teams and months of the row (never an average of rates); null when the denominator is 0.",
                    "Single-figure KPIs (unit count or percent): value = the mean of the n monthly team values.",
                    $"rag: green at or better than target, amber up to {AmberPoints} points worse (in the KPI's unit), red beyond; better follows the KPI's polarity.",
                ];
                if (policy.Note is { } note) notes.Add(note + " A withheld rate has no RAG status.");
                return notes;
            }, ct, connection => RequireKnownKpis(connection, codes));
    }

    /// <summary>Green at or better than target, amber within <see cref="AmberPoints"/> worse, red beyond; null without a value or target.</summary>
    internal static string? Rag(double? value, double? target, string? polarity)
    {
        if (value is not { } v || target is not { } t) return null;
        var worseBy = polarity == "lower_is_better" ? v - t : t - v;
        return worseBy <= 0 ? "green" : worseBy <= AmberPoints ? "amber" : "red";
    }

    private static void RequireKnownKpis(DuckDBConnection connection, IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM dim_kpi WHERE kpi_code = $code";
            cmd.Parameters.Add(new DuckDBParameter("code", code));
            if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                throw new NotFoundException($"kpi_codes: {code} is not in the KPI catalogue");
            }
        }
    }
}
