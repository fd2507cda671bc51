using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly IReadOnlyList<MeasureColumn> ComplaintColumns =
    [
        .. Same("complaints", "stage_1", "stage_2", "stage_3", "stage_lgsco", "compliments", "mp_enquiries"),
        .. Same("stage_1_responded", "stage_1_on_time", "stage_1_on_time_rate", "stage_2_responded", "stage_2_on_time", "stage_2_on_time_rate"),
    ];

    public Task<TableResult> ComplaintsAsync(ComplaintsRequest request, Caller caller, CancellationToken ct)
    {
        var spec = Spec(ComplaintColumns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Compare = ["stage_1_on_time_rate"],
        };
        return SemanticAsync("complaints", caller, spec, null, policy => policy.Notes(
            [
                "Records count in the period they were received. stage_N_on_time_rate = responses within the statutory working days (stage 1: 10, stage 2: 25, from the day after receipt) / responses made; unanswered complaints are in neither.",
                "Records with no team count at council level only.",
            ]), ct);
    }
}
