using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Audits;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly IReadOnlyList<MeasureColumn> FollowUpColumns =
    [
        .. Same("inadequate_audits", "reaudited_within_6_weeks", "reaudited_later", "not_reaudited", "reaudited_within_6_weeks_share"),
        .. Same(QaModel.GradeNames.Select(g => "reaudit_" + g)),
    ];

    public Task<TableResult> InadequateFollowUpAsync(InadequateFollowUpRequest request, Caller caller, CancellationToken ct)
    {
        var spec = Spec(FollowUpColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Compare = ["reaudited_within_6_weeks_share"],
        };
        return SemanticAsync("inadequate_follow_up", caller, spec, null, policy => policy.Notes(
            [
                "Inadequate audits are those with effective grade Inadequate that are not re-audits themselves, counted in the period of the Inadequate audit.",
                $"A re-audit is the first later audit whose reaudit_of names the Inadequate audit; within 6 weeks means at most {Reaudit.WindowDays} days after it. The reaudit_* grades are the effective grades of the re-audits made within 6 weeks.",
                "An Inadequate audit less than 6 weeks old at the snapshot counts as not re-audited yet.",
            ]), ct);
    }
}
