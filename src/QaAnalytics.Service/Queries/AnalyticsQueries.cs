using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Service.Snapshots;
using QaAnalytics.Service.Sql;

namespace QaAnalytics.Service.Queries;

/// <summary>
/// The questions the service answers, over one snapshot per call. Knows nothing of gRPC: the
/// service class maps requests in and chunks out, so these can be tested without a server. Every
/// question takes the <see cref="Caller"/> and applies <see cref="AccessPolicy"/> before it reads
/// anything: there is no way in without one.
/// </summary>
public sealed partial class AnalyticsQueries(SnapshotSource snapshots, IOptions<ServiceOptions> options)
{
    /// <summary>
    /// Below this many estimated cells (<see cref="Gate.PlanWeight"/>) exact figures are finished by
    /// the calculator from DuckDB's counts; from it on, by DuckDB itself (<see cref="SqlPlanner.Finishes"/>).
    /// Measured 2026-12-06 (<c>bench service --profile-miss</c>, GetGradeDistribution with its
    /// comparison, medians of 10, two runs): one council's service areas by year 9.8–10.3 ms by the
    /// calculator against 13.6–13.8 ms; its teams by quarter (estimate 200) 10.1–11.6 against
    /// 16.1–16.9 ms; by month (600) 13.9–14.1 against 20.6–23.3 ms; every council's service areas by
    /// year (1,500) and councils by quarter (2,000) alike; every council's teams by year (5,000)
    /// 56.1–60.2 against 50.8–51.4 ms. DuckDB's finished statement has a fixed cost (the comparison's
    /// join, the table of period labels) that a small table does not repay.
    /// </summary>
    public const double CalculatorBelowCells = 1_000;

    /// <summary>
    /// The estimated cells of the call being computed (<see cref="Gate.PlanWeight.Estimate"/>), set by
    /// <see cref="ResultRunner"/> around the computation; null outside one (direct calls, as the
    /// tests' and the benchmark's in-process ones: DuckDB finishes).
    /// </summary>
    internal static readonly AsyncLocal<double?> EstimatedCells = new();

    /// <summary>A semantic query for this call: the row cap, and who finishes exact figures (see <see cref="CalculatorBelowCells"/>).</summary>
    private SemanticQuery NewQuery(SemanticSpec spec) =>
        new(spec, options.Value.MaxRowsPerCall) { FinishInSql = !(EstimatedCells.Value < CalculatorBelowCells) };

    /// <summary>What one call works on: the snapshot the link points at now, a read-only connection to it, what the caller is given, and its disclosure policy.</summary>
    private sealed record Call(Snapshot Snapshot, DuckDBConnection Connection, Access Access) : IDisposable
    {
        public Disclosure Policy => Access.Disclosure;

        public void Dispose() => Connection.Dispose();
    }

    /// <summary>
    /// Opens the current snapshot for one call, applies the caller's rights to the request (refused,
    /// or the scope narrowed to theirs) and checks that every team the applied scope names is in it.
    /// </summary>
    private Call Begin(Caller caller, AccessRequest request)
    {
        var snapshot = snapshots.Current();
        var connection = SnapshotSource.Open(snapshot);
        try
        {
            DuckDbArrow.LimitMemory(connection, options.Value.DuckDbMemoryMegabytes);
            var access = AccessPolicy.Apply(caller, request, team => TeamOf(connection, team), options.Value);
            RequireKnownTeams(connection, access.Scope);
            return new Call(snapshot, connection, access);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>What a semantic question asks for, for the access policy; <paramref name="defaultGroupBy"/> is what the RPC groups by when group_by is unspecified.</summary>
    private static AccessRequest Asked(SemanticSpec spec, OrgLevel defaultGroupBy = OrgLevel.Council) =>
        new(spec.Scope, spec.GroupBy, defaultGroupBy) { Dimensions = spec.Dimensions, Filters = spec.Filters, Grain = spec.Grain, Period = spec.Period };

    /// <summary>The spec with the scope and grouping the caller was given.</summary>
    private static SemanticSpec Applied(SemanticSpec spec, Access access) => spec with { Scope = access.Scope, GroupBy = access.GroupBy };

    public async Task<IReadOnlyList<TableResult>> CatalogueAsync(Caller caller, CancellationToken ct)
    {
        var snapshot = snapshots.Current();
        using var connection = SnapshotSource.Open(snapshot);
        var empty = new Dictionary<string, object?>();
        var tables = new List<TableResult>();
        // The teams table lists only the teams the caller may see; a regional partner sees none (council level only).
        var visible = AccessPolicy.TeamsVisibleTo(caller);
        var teamParameters = new Dictionary<string, object?>();
        var teamFilter = visible is null ? "false" : "true" + QueryArguments.ScopeFilter(visible, teamParameters);
        var teamsSql = $"SELECT * FROM ({SqlText.Get("catalogue_teams.sql").Trim().TrimEnd(';')}\n) AS visible WHERE {teamFilter} ORDER BY la_code, service_area, team_id";
        string[] teamNotes = visible is null ? ["Outside the council (a regional partner, or an output for publication) figures are council level only: no teams are listed."] : [];
        tables.Add(new TableResult("teams", snapshot, await DuckDbArrow.QueryAsync(connection, teamsSql, teamParameters, teamNotes, ct))
        {
            Access = visible is null ? "teams=none" : new Access(visible, OrgLevel.Team, AccessPolicy.DisclosureFor(caller, options.Value)).ToString(),
        });
        foreach (var (table, file) in new[] { ("periods", "catalogue_periods.sql"), ("kpis", "catalogue_kpis.sql") })
        {
            tables.Add(new TableResult(table, snapshot, await DuckDbArrow.QueryAsync(connection, SqlText.Get(file), empty, [], ct)));
        }
        tables.Add(new TableResult("measures", snapshot, MeasuresTable()));
        tables.Add(new TableResult("disclosure", snapshot, DisclosureTable(caller)));
        if (await RiskModelAsync(connection, ct) is { } riskModel) tables.Add(new TableResult("risk_model", snapshot, riskModel));
        return tables;
    }

    /// <summary>Every measure of the semantic model: what it means, its unit, the count it is a share of, what it can be grouped by, and where it is published.</summary>
    private static ArrowResult MeasuresTable()
    {
        var measures = new ArrowTable().Strings(["name", "description", "unit", "polarity", "denominator", "source", "dimensions", "published_in"]);
        var counts = QaModel.Counts.Values.Where(c => c.Published).Select(c => (c.Name, c.Description, c.Unit, c.Polarity, Denominator: (string?)null));
        var derived = QaModel.Derived.Values.Select(d => (d.Name, d.Description, d.Unit, d.Polarity, d.Denominator));
        foreach (var m in counts.Concat(derived))
        {
            var sources = QaModel.SourcesOf(m.Name).Select(s => QaModel.Sources[s]).ToList();
            var dimensions = QaModel.Dimensions.Keys.Where(d => sources.All(s => s.Dimensions.ContainsKey(d)));
            var publishedIn = Publications.SelectMany(p => p.Value.Where(c => c.Measure == m.Name).Select(c => $"{p.Key}.{c.Column}"))
                .Append($"Query.{m.Name}");
            measures.Add(new Dictionary<string, object?>
            {
                ["name"] = m.Name, ["description"] = m.Description, ["unit"] = m.Unit, ["polarity"] = m.Polarity, ["denominator"] = m.Denominator,
                ["source"] = string.Join(", ", sources.Select(s => s.Name)),
                ["dimensions"] = string.Join(", ", new[] { "la_code", "service_area", "team_id", "period" }.Concat(dimensions)),
                ["published_in"] = string.Join(", ", publishedIn),
            });
        }
        return measures.ToResult(
        [
            "Each measure of the semantic model, defined once: every RPC and Query compute it the same way. Counts are counted in SQL; shares and means are worked out from the counts after suppression.",
            "denominator names the count a share is of; published_in lists RPC.column where it appears (Query.name: the generic query).",
        ]);
    }

    /// <summary>How figures are disclosed to each audience, which one the caller is in, and what outside callers may ask.</summary>
    private ArrowResult DisclosureTable(Caller caller)
    {
        var table = new ArrowTable().Strings(["audience", "who", "counts", "may_ask", "perturbation_table"]).Booleans(["yours"]);
        var council = AccessPolicy.DisclosureFor(caller with { ForPublication = false, Role = caller.Role == Role.RegionalPartner ? Role.Director : caller.Role }, options.Value);
        table.Add(new Dictionary<string, object?>
        {
            ["audience"] = "council", ["who"] = "director, qa_lead, service_manager, team_manager, analyst (their own scope)",
            ["counts"] = council.Describe() == "exact" ? "exact" : $"{council.Describe()} (set per role: QaAnalytics:SuppressBelowOrAtByRole)",
            ["may_ask"] = "any grain and grouping their role allows", ["perturbation_table"] = null, ["yours"] = caller.Audience == Audience.Council,
        });
        table.Add(new Dictionary<string, object?>
        {
            ["audience"] = "outside", ["who"] = "regional_partner; any call marked for publication (header qa-audience: publication)",
            ["counts"] = "perturbed by the cell key method; shares and means from the perturbed counts",
            ["may_ask"] = "council level; whole financial quarters or years (no months, rolling windows or spans); one value per filter; no figures by auditor; no risk flags",
            ["perturbation_table"] = Privacy.PerturbationTable.Default.ToString(), ["yours"] = caller.Audience == Audience.Outside,
        });
        return table.ToResult(
        [
            "Outside the council every count of records moves by a change looked up in the perturbation table by the count and its cell key (the sum of its records' fixed keys): the same cell always shows the same figure, so repeating or averaging calls gains nothing; zeros stay zero; totals need not equal the sum of their parts.",
        ]);
    }

    /// <summary>The measure columns each RPC publishes (column → measure of the semantic model), for the catalogue.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<MeasureColumn>> Publications => new Dictionary<string, IReadOnlyList<MeasureColumn>>(StringComparer.Ordinal)
    {
        ["GetGradeDistribution"] = GradeColumns,
        ["GetModeration"] = ModerationColumns,
        ["GetAuditCompliance"] = AuditComplianceColumns,
        ["GetInadequateFollowUp"] = FollowUpColumns,
        ["GetComplaints"] = ComplaintColumns,
        ["GetKpiTrend"] = KpiColumns,
        ["GetTriangulation"] = TriangulationColumns,
    };

    private static readonly IReadOnlyList<MeasureColumn> GradeColumns =
    [
        .. Same("audits"),
        .. Same(QaModel.GradeNames.Select(g => "effective_" + g)), .. Same(QaModel.GradeNames.Select(g => "original_" + g)),
        .. Same(QaModel.GradeNames.Select(g => $"effective_{g}_share")), .. Same(QaModel.GradeNames.Select(g => $"original_{g}_share")),
        .. Same("moderated", "effective_good_or_better_share"),
    ];

    /// <summary>Columns named as their measures.</summary>
    private static IEnumerable<MeasureColumn> Same(params IEnumerable<string> measures) => measures.Select(m => new MeasureColumn(m, m));

    /// <summary>
    /// Runs a semantic query on the current snapshot and writes it as a table: the RPCs are the
    /// semantic model's measures, named and grouped for one question each.
    /// </summary>
    private async Task<TableResult> SemanticAsync(string table, Caller caller, SemanticSpec spec, Func<SemanticQuery, IReadOnlyList<ExtraColumn>>? extra,
        Func<Disclosure, List<string>> notes, CancellationToken ct, Action<DuckDBConnection>? check = null)
    {
        using var call = Begin(caller, Asked(spec));
        spec = Applied(spec, call.Access);
        using var query = NewQuery(spec);
        check?.Invoke(call.Connection);
        ct.ThrowIfCancellationRequested();
        var tableNotes = WithGrainNotes(notes(call.Policy), spec, call.Policy);
        var live = LiveTable.Current.Value;
        var result = await query.WriteAsync(call.Connection, call.Policy, extra, tableNotes, ct,
            live is null ? null : builder => live.Begin(table, call.Snapshot, tableNotes, builder));
        return new TableResult(table, call.Snapshot, result) { Access = call.Access.ToString() };
    }

    /// <summary>The notes with what rolling windows and a comparison mean inserted before the disclosure policy's own note (which stays last).</summary>
    private static List<string> WithGrainNotes(List<string> notes, SemanticSpec spec, Disclosure policy)
    {
        var at = notes.Count - (policy.Note is null ? 0 : 1);
        if (spec.Compare.Count > 0) notes.Insert(at, ComparisonNote(spec));
        if (spec.Grain.IsRolling) notes.Insert(at, "Rolling 12 months: each row sums the unit's counts over the 12 months ending at the month in its period label, then shares are worked out from those sums.");
        return notes;
    }

    private static string ComparisonNote(SemanticSpec spec) =>
        $"change_X = X minus previous_X, the same unit's value in previous_period ({(spec.Grain.IsRolling ? "the 12 months ending a month earlier" : "the previous month, financial quarter or financial year")}); shares change as fractions (0.05 = 5 points). Null when that period has no figure.";

    /// <summary>The spec every RPC starts from: its measures over the request's scope, grouping, time grain and period.</summary>
    private static SemanticSpec Spec(IReadOnlyList<MeasureColumn> columns, OrgLevel groupBy, TimeGrain grain, Scope? scope, PeriodRange? period) =>
        new() { Columns = columns, GroupBy = groupBy, Grain = PeriodGrain.Of(grain), Scope = scope, Period = period };

    /// <summary>What GetGradeDistribution computes, as a semantic query (public for the benchmark's same-SQL baseline).</summary>
    public static SemanticSpec GradeDistributionSpec(GradeDistributionRequest request) => Spec(GradeColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
    {
        Filters = AuditTypeFilter(request.AuditTypes), Compare = ["effective_good_or_better_share"],
    };

    public Task<TableResult> GradeDistributionAsync(GradeDistributionRequest request, Caller caller, CancellationToken ct) =>
        SemanticAsync("grade_distribution", caller, GradeDistributionSpec(request), null, policy => policy.Notes(
            [
                "Shares are of all audits in the row and are computed from unrounded counts; effective grade = moderated grade where there is one.",
            ]), ct);

    /// <summary>A team's council and service area in the snapshot, or null when it is not there.</summary>
    private static (string LaCode, string ServiceArea)? TeamOf(DuckDBConnection connection, string team)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT la_code, service_area FROM dim_team WHERE team_id = $team";
        cmd.Parameters.Add(new DuckDBParameter("team", team.Trim()));
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1)) : null;
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
}
