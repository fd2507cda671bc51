using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

/// <summary>A named table of a response, from one snapshot.</summary>
public sealed record TableResult(string Table, Snapshot Snapshot, ArrowResult Result);

/// <summary>
/// The questions the service answers, over one snapshot per call. Knows nothing of gRPC: the
/// service class maps requests in and chunks out, so these can be tested without a server.
/// </summary>
public sealed partial class AnalyticsQueries(SnapshotSource snapshots, IOptions<ServiceOptions> options)
{
    private static readonly string[] Grades = ["outstanding", "good", "requires_improvement", "inadequate"];

    private Disclosure Policy => new(options.Value.SuppressBelowOrAt);

    /// <summary>What one call works on: the snapshot the link points at now, a read-only connection to it, and the disclosure policy.</summary>
    private sealed record Call(Snapshot Snapshot, DuckDBConnection Connection, Disclosure Policy) : IDisposable
    {
        public void Dispose() => Connection.Dispose();
    }

    /// <summary>Opens the current snapshot for one call and checks that every team the scope names is in it.</summary>
    private Call Begin(Scope? scope)
    {
        var snapshot = snapshots.Current();
        var connection = SnapshotSource.Open(snapshot);
        try
        {
            RequireKnownTeams(connection, scope);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new Call(snapshot, connection, Policy);
    }

    public async Task<IReadOnlyList<TableResult>> CatalogueAsync(CancellationToken ct)
    {
        var snapshot = snapshots.Current();
        using var connection = SnapshotSource.Open(snapshot);
        var empty = new Dictionary<string, object?>();
        var tables = new List<TableResult>();
        foreach (var (table, file) in new[] { ("teams", "catalogue_teams.sql"), ("periods", "catalogue_periods.sql"), ("kpis", "catalogue_kpis.sql") })
        {
            tables.Add(new TableResult(table, snapshot, await DuckDbArrow.QueryAsync(connection, SqlText.Get(file), empty, [], ct)));
        }
        var measures = new ArrowTable().Strings(["name", "description", "unit", "polarity", "denominator", "rpc", "column"]);
        foreach (var m in Semantic.MeasureCatalogue.All)
        {
            measures.Add(new Dictionary<string, object?>
            {
                ["name"] = m.Name, ["description"] = m.Description, ["unit"] = m.Unit, ["polarity"] = m.Polarity,
                ["denominator"] = m.Denominator, ["rpc"] = m.Rpc, ["column"] = m.Column,
            });
        }
        tables.Add(new TableResult("measures", snapshot, measures.ToResult(
            ["Each measure with its unit, which way is good, the count it is a share of (a column of the same result) and where it is published."])));
        if (await RiskModelAsync(connection, ct) is { } riskModel) tables.Add(new TableResult("risk_model", snapshot, riskModel));
        return tables;
    }

    public Task<TableResult> GradeDistributionAsync(GradeDistributionRequest request, CancellationToken ct)
    {
        // Rolling 12 months: counts are additive, so read months (from 11 months before the range)
        // and sum each unit's trailing twelve.
        var rolling = request.Grain == TimeGrain.Rolling12Months;
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, rolling ? TimeGrain.Month : request.Grain, AuditTypes(request.AuditTypes));
        var org = grouped.Org;
        var parameters = grouped.Parameters;
        var firstWindowEnd = (DateOnly)parameters["from"]!;
        if (rolling) parameters["from"] = firstWindowEnd.AddMonths(-11);
        var sql = grouped.Fill(SqlText.Get("grade_distribution.sql"));

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        ct.ThrowIfCancellationRequested();
        var policy = call.Policy;
        var rows = ReadGradeRows(connection, sql, parameters, org.Length, ct);
        if (rolling) rows = RollingTwelveMonths(rows, firstWindowEnd, (DateOnly)parameters["to"]!);
        var result = BuildGradeTable(rows, org, policy);
        return Task.FromResult(new TableResult("grade_distribution", snapshot, result));
    }

    private static void RequireKnownTeams(DuckDBConnection connection, Scope? scope)
    {
        foreach (var team in scope?.TeamIds ?? [])
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM dim_team WHERE team_id = $team";
            cmd.Parameters.Add(new DuckDBParameter("team", team.Trim()));
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                throw new NotFoundException($"team {team} is not in the published data");
            }
        }
    }

    /// <summary>One unit and period of grade counts: audits, 4 effective then 4 original grade counts, moderated.</summary>
    internal sealed record GradeRow(string?[] Org, string Period, long Audits, long[] Grades, long Moderated);

    private static List<GradeRow> ReadGradeRows(DuckDBConnection connection, string sql, Dictionary<string, object?> parameters, int orgCount, CancellationToken ct)
    {
        var rows = new List<GradeRow>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
        using var reader = cmd.ExecuteReader();
        var first = orgCount + 1;
        while (reader.Read())
        {
            rows.Add(new GradeRow(
                Enumerable.Range(0, orgCount).Select(k => reader.IsDBNull(k) ? null : Convert.ToString(reader.GetValue(k), System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                Convert.ToString(reader.GetValue(orgCount), System.Globalization.CultureInfo.InvariantCulture)!,
                reader.GetInt64(first),
                Enumerable.Range(0, 8).Select(i => reader.GetInt64(first + 1 + i)).ToArray(),
                reader.GetInt64(first + 9)));
        }
        return rows;
    }

    /// <summary>
    /// Sums each unit's monthly rows ("yyyy-mm") over the twelve months ending at every month from
    /// <paramref name="firstEnd"/> to <paramref name="lastEnd"/>; a window with no audits is left out.
    /// </summary>
    internal static List<GradeRow> RollingTwelveMonths(List<GradeRow> months, DateOnly firstEnd, DateOnly lastEnd)
    {
        var result = new List<GradeRow>();
        foreach (var unit in months.GroupBy(r => string.Join('\u001f', r.Org), StringComparer.Ordinal))
        {
            var byMonth = unit.ToDictionary(r => DateOnly.ParseExact(r.Period + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            var last = byMonth.Keys.Max();
            for (var end = firstEnd; end <= lastEnd && end <= last.AddMonths(11); end = end.AddMonths(1))
            {
                var window = Enumerable.Range(0, 12).Select(i => end.AddMonths(-i)).Where(byMonth.ContainsKey).Select(m => byMonth[m]).ToList();
                if (window.Count == 0) continue;
                result.Add(new GradeRow(unit.First().Org, $"12 months to {end:yyyy-MM}", window.Sum(r => r.Audits),
                    Enumerable.Range(0, 8).Select(i => window.Sum(r => r.Grades[i])).ToArray(), window.Sum(r => r.Moderated)));
            }
        }
        return result;
    }

    /// <summary>Withholds small grade counts and computes shares from the unrounded counts.</summary>
    private static ArrowResult BuildGradeTable(List<GradeRow> gradeRows, string[] org, Disclosure policy)
    {
        var keys = org.Concat(["period"]).Select(_ => new StringArray.Builder()).ToArray();
        var audits = new Int64Array.Builder();
        var counts = Enumerable.Range(0, 8).Select(_ => new Int64Array.Builder()).ToArray();
        var shares = Enumerable.Range(0, 8).Select(_ => new DoubleArray.Builder()).ToArray();
        var moderated = new Int64Array.Builder();
        var suppressed = new BooleanArray.Builder();
        var goodOrBetter = new DoubleArray.Builder();
        var previousPeriod = new StringArray.Builder();
        var previousGoodOrBetter = new DoubleArray.Builder();
        var change = new DoubleArray.Builder();
        // Rows come ordered by unit then period, so the previous period of a unit is the row before.
        string? lastUnit = null;
        string? lastPeriod = null;
        double? lastShare = null;
        var rows = 0;

        foreach (var gradeRow in gradeRows)
        {
            rows++;
            for (var k = 0; k < org.Length; k++) keys[k].Append(gradeRow.Org[k]);
            keys[org.Length].Append(gradeRow.Period);
            var total = gradeRow.Audits;
            var raw = gradeRow.Grades;
            var (effective, shownTotal) = policy.Apply(raw[..4], total);
            var (original, _) = policy.Apply(raw[4..], total);
            var cells = effective.Concat(original).ToArray();
            Append(audits, shownTotal);
            for (var i = 0; i < 8; i++)
            {
                Append(counts[i], cells[i]);
                if (cells[i] is { } c && shownTotal is { } t && t > 0) shares[i].Append((double)c / t);
                else shares[i].AppendNull();
            }
            var moderatedCount = gradeRow.Moderated;
            Append(moderated, policy.IsSmall(moderatedCount) ? null : moderatedCount);
            suppressed.Append(shownTotal is null || cells.Any(c => c is null) || policy.IsSmall(moderatedCount));

            // Time intelligence: share Good or better against the unit's previous period in the result.
            var unit = string.Join('\u001f', gradeRow.Org);
            var periodLabel = gradeRow.Period;
            double? share = cells[0] is { } o && cells[1] is { } g && shownTotal is > 0 ? (double)(o + g) / shownTotal.Value : null;
            var sameUnit = unit == lastUnit;
            Append(goodOrBetter, share);
            previousPeriod.Append(sameUnit ? lastPeriod : null);
            Append(previousGoodOrBetter, sameUnit ? lastShare : null);
            Append(change, sameUnit && share is { } now && lastShare is { } then ? now - then : null);
            (lastUnit, lastPeriod, lastShare) = (unit, periodLabel, share);
        }

        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        for (var k = 0; k < keys.Length; k++) Add(k < org.Length ? org[k] : "period", StringType.Default, keys[k].Build());
        Add("audits", Int64Type.Default, audits.Build());
        for (var i = 0; i < 8; i++) Add($"{(i < 4 ? "effective" : "original")}_{Grades[i % 4]}", Int64Type.Default, counts[i].Build());
        for (var i = 0; i < 8; i++) Add($"{(i < 4 ? "effective" : "original")}_{Grades[i % 4]}_share", DoubleType.Default, shares[i].Build());
        Add("moderated", Int64Type.Default, moderated.Build());
        Add("effective_good_or_better_share", DoubleType.Default, goodOrBetter.Build());
        Add("previous_period", StringType.Default, previousPeriod.Build());
        Add("previous_good_or_better_share", DoubleType.Default, previousGoodOrBetter.Build());
        Add("change_good_or_better_share", DoubleType.Default, change.Build());
        Add("suppressed", BooleanType.Default, suppressed.Build());
        var schema = new Schema(fields, null);
        var batch = new RecordBatch(schema, arrays, rows);
        var notes = policy.Notes(
            "Shares are of all audits in the row and are computed from unrounded counts; effective grade = moderated grade where there is one.",
            "change_good_or_better_share = effective_good_or_better_share minus the same unit's share in previous_period (the unit's previous row in this result), as a fraction (0.05 = 5 points).");
        return ArrowResult.From(schema, [batch], notes);

        void Add(string name, IArrowType type, IArrowArray array)
        {
            fields.Add(new Field(name, type, nullable: true));
            arrays.Add(array);
        }
    }

    private static void Append(Int64Array.Builder builder, long? value)
    {
        if (value is { } v) builder.Append(v);
        else builder.AppendNull();
    }

    private static void Append(DoubleArray.Builder builder, double? value)
    {
        if (value is { } v) builder.Append(v);
        else builder.AppendNull();
    }
}
