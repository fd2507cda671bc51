using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>Divergence flag values in the triangulation table.</summary>
    public const string CompliantNotGood = "compliant_not_good";
    public const string GoodNotCompliant = "good_not_compliant";

    public Task<IReadOnlyList<TableResult>> TriangulationAsync(TriangulationRequest request, CancellationToken ct)
    {
        var thresholds = Thresholds.From(request);
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy == OrgLevel.Unspecified ? OrgLevel.Team : request.GroupBy, request.Grain);
        var org = grouped.Org;
        var parameters = grouped.Parameters;
        var sql = grouped.Fill(SqlText.Get("triangulation.sql").Replace("{org_using}", string.Join(", ", org), StringComparison.Ordinal));

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        ct.ThrowIfCancellationRequested();
        var rows = Read(connection, sql, parameters, org.Length, TargetsByKpi(connection), ct);
        var policy = call.Policy;
        IReadOnlyList<TableResult> tables =
        [
            new("triangulation", snapshot, TriangulationTable(rows, org, thresholds, policy)),
            new("theme_correlation", snapshot, CorrelationTable(rows)),
        ];
        return Task.FromResult(tables);
    }

    internal sealed record Thresholds(double? ComplianceHigh, double ComplianceLow, double QualityLow, double QualityHigh, int MinAudits)
    {
        public static Thresholds From(TriangulationRequest r)
        {
            Check(r.ComplianceHighPercent, 100, "compliance_high_percent");
            Check(r.ComplianceLowPercent, 100, "compliance_low_percent");
            Check(r.QualityLowShare, 1, "quality_low_share");
            Check(r.QualityHighShare, 1, "quality_high_share");
            if (r.MinAudits < 0) throw new BadArgumentException("min_audits", "must be 0 or more");
            return new Thresholds(
                r.ComplianceHighPercent > 0 ? r.ComplianceHighPercent : null,
                r.ComplianceLowPercent > 0 ? r.ComplianceLowPercent : 70,
                r.QualityLowShare > 0 ? r.QualityLowShare : 0.30,
                r.QualityHighShare > 0 ? r.QualityHighShare : 0.60,
                r.MinAudits > 0 ? r.MinAudits : 6);

            static void Check(double value, double max, string field)
            {
                if (double.IsNaN(value) || value < 0 || value > max) throw new BadArgumentException(field, $"must be between 0 and {max}");
            }
        }
    }

    internal sealed record TriangulationRow(string?[] Org, string Period, string Theme, string? KpiCode, double? KpiTarget,
        long Audits, long GoodOrBetter, double? MeanGradeScore, long KpiNumerator, long KpiDenominator,
        long Complaints, long Stage1Responded, long Stage1OnTime)
    {
        public double? Share => Audits > 0 ? (double)GoodOrBetter / Audits : null;

        public double? KpiRate => KpiDenominator > 0 ? 100.0 * KpiNumerator / KpiDenominator : null;
    }

    private static Dictionary<string, double?> TargetsByKpi(DuckDBConnection connection)
    {
        var targets = new Dictionary<string, double?>(StringComparer.Ordinal);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT kpi_code, target FROM dim_kpi";
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) targets[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetDouble(1);
        return targets;
    }

    private static List<TriangulationRow> Read(DuckDBConnection connection, string sql, Dictionary<string, object?> parameters,
        int orgCount, Dictionary<string, double?> targets, CancellationToken ct)
    {
        var rows = new List<TriangulationRow>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var i = orgCount;
            var org = Enumerable.Range(0, orgCount).Select(k => reader.IsDBNull(k) ? null : reader.GetString(k)).ToArray();
            var kpi = reader.IsDBNull(i + 2) ? null : reader.GetString(i + 2);
            rows.Add(new TriangulationRow(org, reader.GetString(i), reader.GetString(i + 1), kpi,
                kpi is null ? null : targets.GetValueOrDefault(kpi),
                reader.GetInt64(i + 3), reader.GetInt64(i + 4), reader.IsDBNull(i + 5) ? null : reader.GetDouble(i + 5),
                reader.GetInt64(i + 6), reader.GetInt64(i + 7),
                reader.GetInt64(i + 8), reader.GetInt64(i + 9), reader.GetInt64(i + 10)));
        }
        return rows;
    }

    /// <summary>High compliance with low quality (or the reverse), only where enough theme grades stand behind it.</summary>
    internal static string? Divergence(TriangulationRow row, Thresholds t)
    {
        if (row.Audits < t.MinAudits || row.Share is not { } share || row.KpiRate is not { } rate) return null;
        var high = t.ComplianceHigh ?? row.KpiTarget ?? 90;
        if (rate >= high && share < t.QualityLow) return CompliantNotGood;
        if (rate < t.ComplianceLow && share >= t.QualityHigh) return GoodNotCompliant;
        return null;
    }

    private static ArrowResult TriangulationTable(List<TriangulationRow> rows, string[] org, Thresholds thresholds, Disclosure policy)
    {
        var keys = org.Select(_ => new StringArray.Builder()).ToArray();
        var periodB = new StringArray.Builder();
        var themeB = new StringArray.Builder();
        var kpiB = new StringArray.Builder();
        var longs = Enumerable.Range(0, 7).Select(_ => new Int64Array.Builder()).ToArray();
        var doubles = Enumerable.Range(0, 5).Select(_ => new DoubleArray.Builder()).ToArray();
        var divergenceB = new StringArray.Builder();
        var suppressedB = new BooleanArray.Builder();

        foreach (var row in rows)
        {
            for (var k = 0; k < org.Length; k++) keys[k].Append(row.Org[k]);
            periodB.Append(row.Period);
            themeB.Append(row.Theme);
            kpiB.Append(row.KpiCode);
            var (grades, audits) = policy.Apply([row.GoodOrBetter, row.Audits - row.GoodOrBetter], row.Audits);
            var (kpi, denominator) = policy.Apply([row.KpiNumerator, row.KpiDenominator - row.KpiNumerator], row.KpiDenominator);
            var (stage1, responded) = policy.Apply([row.Stage1OnTime, row.Stage1Responded - row.Stage1OnTime], row.Stage1Responded);
            var complaints = policy.IsSmall(row.Complaints) ? (long?)null : row.Complaints;
            long?[] counts = [audits, grades[0], denominator, kpi[0], complaints, responded, stage1[0]];
            for (var i = 0; i < counts.Length; i++) Append(longs[i], counts[i]);
            Append(doubles[0], grades[0] is not null && audits is > 0 ? row.Share : null);
            Append(doubles[1], audits is not null ? row.MeanGradeScore : null);
            Append(doubles[2], kpi[0] is not null && denominator is > 0 ? row.KpiRate : null);
            Append(doubles[3], row.KpiTarget);
            Append(doubles[4], stage1[0] is not null && responded is > 0 ? (double)row.Stage1OnTime / row.Stage1Responded : null);
            divergenceB.Append(audits is null ? null : Divergence(row, thresholds));
            suppressedB.Append(counts.Any(c => c is null) || grades.Concat(kpi).Concat(stage1).Any(c => c is null));
        }

        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        for (var k = 0; k < org.Length; k++) Add(org[k], StringType.Default, keys[k].Build());
        Add("period", StringType.Default, periodB.Build());
        Add("theme", StringType.Default, themeB.Build());
        Add("kpi_code", StringType.Default, kpiB.Build());
        string[] longNames = ["audits", "good_or_better", "kpi_denominator", "kpi_numerator", "complaints", "stage1_responded", "stage1_on_time"];
        for (var i = 0; i < longs.Length; i++) Add(longNames[i], Int64Type.Default, longs[i].Build());
        string[] doubleNames = ["share_good_or_better", "mean_grade_score", "kpi_rate", "kpi_target", "stage1_on_time_share"];
        for (var i = 0; i < doubles.Length; i++) Add(doubleNames[i], DoubleType.Default, doubles[i].Build());
        Add("divergence", StringType.Default, divergenceB.Build());
        Add("suppressed", BooleanType.Default, suppressedB.Build());
        var schema = new Schema(fields, null);
        var notes = policy.Notes(
            "audits = theme grades given; share_good_or_better = Good or Outstanding theme grades / audits; kpi_rate = 100 × kpi_numerator / kpi_denominator over the period; complaints and stage 1 timeliness are the unit's, repeated on each theme row.",
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"divergence: {CompliantNotGood} = KPI rate at or above {(thresholds.ComplianceHigh is { } h ? $"{h}%" : "the KPI's target")} while share Good or better is below {thresholds.QualityLow * 100:0.#}%; {GoodNotCompliant} = KPI rate below {thresholds.ComplianceLow}% while share is at least {thresholds.QualityHigh * 100:0.#}%; only with at least {thresholds.MinAudits} theme grades."));
        return ArrowResult.From(schema, [new RecordBatch(schema, arrays, rows.Count)], notes);

        void Add(string name, IArrowType type, IArrowArray array)
        {
            fields.Add(new Field(name, type, nullable: true));
            arrays.Add(array);
        }
    }

    /// <summary>
    /// Spearman rank correlation across organisation units, per theme and period, between the share
    /// Good or better and the paired KPI rate (ties take their average rank). Needs at least 5 units.
    /// </summary>
    private static ArrowResult CorrelationTable(List<TriangulationRow> rows)
    {
        var periodB = new StringArray.Builder();
        var themeB = new StringArray.Builder();
        var nB = new Int64Array.Builder();
        var rhoB = new DoubleArray.Builder();
        var count = 0;
        foreach (var group in rows.Where(r => r.Share is not null && r.KpiRate is not null)
                     .GroupBy(r => (r.Period, r.Theme)).OrderBy(g => g.Key.Period, StringComparer.Ordinal).ThenBy(g => g.Key.Theme, StringComparer.Ordinal))
        {
            var units = group.ToList();
            periodB.Append(group.Key.Period);
            themeB.Append(group.Key.Theme);
            nB.Append(units.Count);
            Append(rhoB, units.Count >= 5 ? Spearman(units.Select(u => u.Share!.Value).ToArray(), units.Select(u => u.KpiRate!.Value).ToArray()) : null);
            count++;
        }
        var schema = new Schema(
        [
            new Field("period", StringType.Default, true), new Field("theme", StringType.Default, true),
            new Field("units", Int64Type.Default, true), new Field("spearman_rho", DoubleType.Default, true),
        ], null);
        IArrowArray[] arrays = [periodB.Build(), themeB.Build(), nB.Build(), rhoB.Build()];
        return ArrowResult.From(schema, [new RecordBatch(schema, arrays, count)],
            ["spearman_rho: rank correlation across the units in the result between share Good or better and the paired KPI rate; null with fewer than 5 units or no variation."]);
    }

    internal static double? Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        var mx = rx.Average();
        var my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var average = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }
}
