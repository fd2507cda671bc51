using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    public Task<TableResult> ModerationAsync(ModerationRequest request, CancellationToken ct)
    {
        var auditTypes = AuditTypes(request.AuditTypes);
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain, auditTypes);
        var keys = grouped.Keys.Concat(request.ByAuditor ? ["auditor_id"] : Array.Empty<string>()).ToArray();
        var sql = grouped.Fill(SqlText.Get("moderation.sql"))
            .Replace("{auditor}", request.ByAuditor ? ", auditor_id" : "", StringComparison.Ordinal);

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        var policy = call.Policy;
        var table = new ArrowTable()
            .Strings(keys)
            .Longs(["audits", "moderated", "agreed", "upgrades", "downgrades"])
            .Doubles(["moderated_share", "agreement_rate"])
            .Booleans(["suppressed"]);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var audits = GroupedSql.Count(sqlRow, "audits");
            var moderated = GroupedSql.Count(sqlRow, "moderated");
            var outcomes = new[] { GroupedSql.Count(sqlRow, "agreed"), GroupedSql.Count(sqlRow, "upgrades"), GroupedSql.Count(sqlRow, "downgrades") };
            // Two groups: moderated + not moderated = audits; agreed + upgraded + downgraded = moderated.
            var (split, shownAudits) = policy.Apply([moderated, audits - moderated], audits);
            var shownModerated = split[0];
            var shownOutcomes = policy.ApplyWithin(outcomes, moderated, shownModerated is not null);

            var row = new Dictionary<string, object?>();
            GroupedSql.CopyKeys(sqlRow, row, keys);
            row["audits"] = shownAudits;
            row["moderated"] = shownModerated;
            row["agreed"] = shownOutcomes[0];
            row["upgrades"] = shownOutcomes[1];
            row["downgrades"] = shownOutcomes[2];
            row["moderated_share"] = GroupedSql.Share(shownModerated, shownAudits);
            row["agreement_rate"] = GroupedSql.Share(shownOutcomes[0], shownModerated);
            row["suppressed"] = shownAudits is null || split.Any(c => c is null) || shownOutcomes.Any(c => c is null);
            table.Add(row);
        }

        var notes = policy.Notes(
            "moderated_share = moderated / audits; agreement_rate = agreed (grade unchanged) / moderated; both from unrounded counts.",
            "upgrades and downgrades compare the moderated grade with the auditor's original grade.");
        return Task.FromResult(new TableResult("moderation", snapshot, table.ToResult(notes)));
    }

    private static List<string> AuditTypes(IEnumerable<string> requested)
    {
        var auditTypes = requested.Select(t => t.Trim().ToLowerInvariant()).ToList();
        foreach (var type in auditTypes.Where(t => !Models.Audits.AuditType.All.Contains(t)))
        {
            throw new BadArgumentException("audit_types", $"'{type}' is not an audit type; use {string.Join(", ", Models.Audits.AuditType.All)}");
        }
        return auditTypes;
    }
}
