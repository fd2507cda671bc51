using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Service.Grpc;

public sealed partial class QaAnalyticsService
{
    public override Task GetKpiTrend(KpiTrendRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetKpiTrend), request, context, async (caller, ct) => [await queries.KpiTrendAsync(request, caller, ct)], responseStream);

    public override Task Query(QueryRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(Query), request, context, async (caller, ct) => [await queries.QueryAsync(request, caller, ct)], responseStream);
}
