using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Service.Grpc;

public sealed partial class QaAnalyticsService
{
    public override Task GetRiskFlags(RiskFlagsRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetRiskFlags), request, context, async (caller, ct) => [await queries.RiskFlagsAsync(request, caller, ct)], responseStream);
}
