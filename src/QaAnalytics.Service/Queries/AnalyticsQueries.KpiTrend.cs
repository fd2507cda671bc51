using System.Globalization;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>How far worse than target, in the KPI's own unit (percentage points for rates), is still amber.</summary>
    public const double AmberPoints = 5;

    public Task<TableResult> KpiTrendAsync(KpiTrendRequest request, CancellationToken ct)
    {
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain);
        var keys = grouped.Keys.ToArray();
        var codes = request.KpiCodes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim().ToUpperInvariant()).Distinct().ToList();
        var kpiFilter = codes.Count == 0 ? "" : $"AND kpi_code IN ({string.Join(", ", codes.Select((_, i) => "$kpi_" + i))})";
        for (var i = 0; i < codes.Count; i++) grouped.Parameters["kpi_" + i] = codes[i];
        var sql = grouped.Fill(SqlText.Get("kpi_trend.sql")).Replace("{kpis}", kpiFilter, StringComparison.Ordinal);

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        RequireKnownKpis(connection, codes);
        var policy = call.Policy;
        var table = new ArrowTable()
            .Strings(keys).Strings(["kpi_code", "kpi_name", "unit", "polarity"])
            .Longs(["n", "numerator", "denominator"])
            .Doubles(["value", "target"])
            .Strings(["rag"])
            .Booleans(["suppressed"]);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var row = new Dictionary<string, object?>();
            GroupedSql.CopyKeys(sqlRow, row, keys.Concat(["kpi_code", "kpi_name", "unit", "polarity"]));
            var target = sqlRow["target"] is { } t ? Convert.ToDouble(t, CultureInfo.InvariantCulture) : (double?)null;
            double? value;
            var withheld = false;
            if ((string?)row["unit"] == "rate")
            {
                // Numerator + not met = denominator, like any other group of counts.
                var numerator = GroupedSql.Count(sqlRow, "numerator");
                var denominator = GroupedSql.Count(sqlRow, "denominator");
                var (split, shownDenominator) = policy.Apply([numerator, denominator - numerator], denominator);
                row["numerator"] = split[0];
                row["denominator"] = shownDenominator;
                // 100 × n first, then one division: (n / d) × 100 can land a hair off a whole target (0.57 × 100 = 56.99…).
                value = split[0] is { } n && shownDenominator is { } d && d > 0 ? 100.0 * n / d : null;
                withheld = shownDenominator is null || split.Any(c => c is null);
            }
            else
            {
                value = sqlRow["mean_value"] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
            }
            row["n"] = GroupedSql.Count(sqlRow, "n");
            row["value"] = value;
            row["target"] = target;
            row["rag"] = Rag(value, target, (string?)row["polarity"]);
            row["suppressed"] = withheld;
            table.Add(row);
        }

        var notes = new List<string>
        {
            "Rate KPIs: value = 100 × numerator / denominator, summed over the teams and months of the row (never an average of rates); null when the denominator is 0.",
            "Single-figure KPIs (unit count or percent): value = the mean of the n monthly team values.",
            $"rag: green at or better than target, amber up to {AmberPoints} points worse (in the KPI's unit), red beyond; better follows the KPI's polarity.",
        };
        if (policy.Note is { } note) notes.Add(note + " A withheld rate has no RAG status.");
        return Task.FromResult(new TableResult("kpi_trend", snapshot, table.ToResult(notes)));
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
