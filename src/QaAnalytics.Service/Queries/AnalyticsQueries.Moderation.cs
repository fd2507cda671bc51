using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly IReadOnlyList<MeasureColumn> ModerationColumns =
        [.. Same("audits", "moderated", "agreed", "upgrades", "downgrades", "moderated_share", "agreement_rate")];

    public Task<TableResult> ModerationAsync(ModerationRequest request, Caller caller, CancellationToken ct)
    {
        var spec = Spec(ModerationColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Dimensions = request.ByAuditor ? ["auditor_id"] : [], Filters = AuditTypeFilter(request.AuditTypes), Compare = ["agreement_rate"],
        };
        return SemanticAsync("moderation", caller, spec, null, policy => policy.Notes(
            [
                "moderated_share = moderated / audits; agreement_rate = agreed (grade unchanged) / moderated; both from unrounded counts.",
                "upgrades and downgrades compare the moderated grade with the auditor's original grade.",
            ]), ct);
    }

    /// <summary>The audit types asked for, checked against the known ones, as a filter (none when empty).</summary>
    private static Dictionary<string, IReadOnlyList<string>> AuditTypeFilter(IEnumerable<string> requested)
    {
        RequestLimits.CheckList("audit_types", requested.ToList());
        var auditTypes = requested.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        foreach (var type in auditTypes.Where(t => !Models.Audits.AuditType.All.Contains(t)))
        {
            throw new BadArgumentException("audit_types", $"'{type}' is not an audit type; use {string.Join(", ", Models.Audits.AuditType.All)}");
        }
        return auditTypes.Count == 0 ? [] : new() { ["audit_type"] = auditTypes };
    }
}
