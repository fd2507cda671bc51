using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Service.Grpc;

public sealed partial class QaAnalyticsService
{
    public override Task GetComplaints(ComplaintsRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetComplaints), request, context, async (caller, ct) => [await queries.ComplaintsAsync(request, caller, ct)], responseStream);
}
