using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Service.Grpc;

public sealed partial class QaAnalyticsService
{
    public override Task GetModeration(ModerationRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetModeration), request, context, async (caller, ct) => [await queries.ModerationAsync(request, caller, ct)], responseStream);

    public override Task GetAuditCompliance(AuditComplianceRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetAuditCompliance), request, context, async (caller, ct) => [await queries.AuditComplianceAsync(request, caller, ct)], responseStream);

    public override Task GetInadequateFollowUp(InadequateFollowUpRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetInadequateFollowUp), request, context, async (caller, ct) => [await queries.InadequateFollowUpAsync(request, caller, ct)], responseStream);
}
