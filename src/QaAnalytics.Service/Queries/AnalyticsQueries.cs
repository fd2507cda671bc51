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
        return tables;
    }

    public Task<TableResult> GradeDistributionAsync(GradeDistributionRequest request, CancellationToken ct)
    {
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain, AuditTypes(request.AuditTypes));
        var org = grouped.Org;
        var parameters = grouped.Parameters;
        var sql = grouped.Fill(SqlText.Get("grade_distribution.sql"));

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        ct.ThrowIfCancellationRequested();
        var policy = call.Policy;
        var result = BuildGradeTable(connection, sql, parameters, org, policy, ct);
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

    /// <summary>Reads the grade counts, withholds small ones, and computes shares from the unrounded counts.</summary>
    private static ArrowResult BuildGradeTable(DuckDBConnection connection, string sql, Dictionary<string, object?> parameters,
        string[] org, Disclosure policy, CancellationToken ct)
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

        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = sql;
            using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
            foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
            using var reader = cmd.ExecuteReader();
            var first = org.Length + 1;
            while (reader.Read())
            {
                rows++;
                for (var k = 0; k < keys.Length; k++) keys[k].Append(reader.IsDBNull(k) ? null : Convert.ToString(reader.GetValue(k), System.Globalization.CultureInfo.InvariantCulture));
                var total = reader.GetInt64(first);
                var raw = Enumerable.Range(0, 8).Select(i => reader.GetInt64(first + 1 + i)).ToArray();
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
                var moderatedCount = reader.GetInt64(first + 9);
                Append(moderated, policy.IsSmall(moderatedCount) ? null : moderatedCount);
                suppressed.Append(shownTotal is null || cells.Any(c => c is null) || policy.IsSmall(moderatedCount));

                // Time intelligence: share Good or better against the unit's previous period in the result.
                var unit = string.Join('\u001f', Enumerable.Range(0, org.Length).Select(k => reader.IsDBNull(k) ? "" : Convert.ToString(reader.GetValue(k), System.Globalization.CultureInfo.InvariantCulture)));
                var periodLabel = Convert.ToString(reader.GetValue(org.Length), System.Globalization.CultureInfo.InvariantCulture);
                double? share = cells[0] is { } o && cells[1] is { } g && shownTotal is > 0 ? (double)(o + g) / shownTotal.Value : null;
                var sameUnit = unit == lastUnit;
                AppendDouble(goodOrBetter, share);
                previousPeriod.Append(sameUnit ? lastPeriod : null);
                AppendDouble(previousGoodOrBetter, sameUnit ? lastShare : null);
                AppendDouble(change, sameUnit && share is { } now && lastShare is { } then ? now - then : null);
                (lastUnit, lastPeriod, lastShare) = (unit, periodLabel, share);
            }
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

        static void AppendDouble(DoubleArray.Builder builder, double? value)
        {
            if (value is { } v) builder.Append(v);
            else builder.AppendNull();
        }

        static void Append(Int64Array.Builder builder, long? value)
        {
            if (value is { } v) builder.Append(v);
            else builder.AppendNull();
        }
    }
}
