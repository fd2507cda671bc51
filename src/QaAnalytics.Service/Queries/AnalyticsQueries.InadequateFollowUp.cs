using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>West Sussex re-audits an Inadequate case after 6 weeks: 42 days, as written in inadequate_follow_up.sql.</summary>
    public const int ReauditWindowDays = 42;

    private static readonly string[] FollowUpSplit = ["reaudited_within_6_weeks", "reaudited_later", "not_reaudited"];

    private static readonly string[] ReauditOutcomes = ["reaudit_outstanding", "reaudit_good", "reaudit_requires_improvement", "reaudit_inadequate"];

    public Task<TableResult> InadequateFollowUpAsync(InadequateFollowUpRequest request, CancellationToken ct)
    {
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain);
        var keys = grouped.Keys.ToArray();
        var sql = grouped.Fill(SqlText.Get("inadequate_follow_up.sql"));

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        var policy = call.Policy;
        var table = new ArrowTable()
            .Strings(keys)
            .Longs(["inadequate_audits"]).Longs(FollowUpSplit)
            .Doubles(["reaudited_within_6_weeks_share"])
            .Longs(ReauditOutcomes)
            .Booleans(["suppressed"]);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var inadequate = GroupedSql.Count(sqlRow, "inadequate_audits");
            var split = FollowUpSplit.Select(c => GroupedSql.Count(sqlRow, c)).ToArray();
            var outcomes = ReauditOutcomes.Select(c => GroupedSql.Count(sqlRow, c)).ToArray();
            // within + later + not = Inadequate audits; the outcome grades add up to within.
            var (shownSplit, shownInadequate) = policy.Apply(split, inadequate);
            var shownOutcomes = policy.ApplyWithin(outcomes, split[0], shownSplit[0] is not null);

            var row = new Dictionary<string, object?>();
            GroupedSql.CopyKeys(sqlRow, row, keys);
            row["inadequate_audits"] = shownInadequate;
            for (var i = 0; i < FollowUpSplit.Length; i++) row[FollowUpSplit[i]] = shownSplit[i];
            for (var i = 0; i < ReauditOutcomes.Length; i++) row[ReauditOutcomes[i]] = shownOutcomes[i];
            row["reaudited_within_6_weeks_share"] = GroupedSql.Share(shownSplit[0], shownInadequate);
            row["suppressed"] = shownInadequate is null || shownSplit.Concat(shownOutcomes).Any(c => c is null);
            table.Add(row);
        }

        var notes = policy.Notes(
            "Inadequate audits are those with effective grade Inadequate that are not re-audits themselves, counted in the period of the Inadequate audit.",
            $"A re-audit is the first later audit whose reaudit_of names the Inadequate audit; within 6 weeks means at most {ReauditWindowDays} days after it. The reaudit_* grades are the effective grades of the re-audits made within 6 weeks.",
            "An Inadequate audit less than 6 weeks old at the snapshot counts as not re-audited yet.");
        return Task.FromResult(new TableResult("inadequate_follow_up", snapshot, table.ToResult(notes)));
    }
}
