using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly IReadOnlyList<MeasureColumn> AuditComplianceColumns =
        [.. Same("sent", "returned", "with_due_date", "returned_by_due", "return_rate", "on_time_return_rate")];

    public Task<TableResult> AuditComplianceAsync(AuditComplianceRequest request, Caller caller, CancellationToken ct)
    {
        var spec = Spec(AuditComplianceColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Compare = ["return_rate"],
        };
        return SemanticAsync("audit_compliance", caller, spec, null, policy => policy.Notes(
            [
                "Requests count in the period they were sent. return_rate = returned / sent; on_time_return_rate = returned_by_due / with_due_date (requests without a due date are left out of it); both from unrounded counts.",
                "A request not yet returned counts as not returned, even where its due date has not passed, so the latest period can look low.",
            ]), ct);
    }
}
