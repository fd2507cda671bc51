using Google.Protobuf;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Grpc;

/// <summary>One RPC of the contract: a new request of its message type, and the question it runs.</summary>
public sealed record RpcQuery(string Rpc, Func<IMessage> NewRequest,
    Func<AnalyticsQueries, IMessage, Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> Run);

/// <summary>
/// Every RPC's question, once: the gRPC edge serves these by RPC name, and the HTTP results
/// (<c>/api/v1</c>, OData) run the same entry for the RPC they fill. A new RPC is its proto
/// method, its query in <see cref="AnalyticsQueries"/>, one row here and the one-line override
/// the generated base class asks for (a test checks every proto method has both).
/// </summary>
public static class RpcQueries
{
    public static readonly IReadOnlyDictionary<string, RpcQuery> All = new[]
    {
        Many<CatalogueRequest>("GetCatalogue", (q, _, c, ct) => q.CatalogueAsync(c, ct)),
        One<GradeDistributionRequest>("GetGradeDistribution", (q, r, c, ct) => q.GradeDistributionAsync(r, c, ct)),
        Many<TriangulationRequest>("GetTriangulation", (q, r, c, ct) => q.TriangulationAsync(r, c, ct)),
        One<ModerationRequest>("GetModeration", (q, r, c, ct) => q.ModerationAsync(r, c, ct)),
        One<AuditComplianceRequest>("GetAuditCompliance", (q, r, c, ct) => q.AuditComplianceAsync(r, c, ct)),
        One<InadequateFollowUpRequest>("GetInadequateFollowUp", (q, r, c, ct) => q.InadequateFollowUpAsync(r, c, ct)),
        One<ComplaintsRequest>("GetComplaints", (q, r, c, ct) => q.ComplaintsAsync(r, c, ct)),
        One<KpiTrendRequest>("GetKpiTrend", (q, r, c, ct) => q.KpiTrendAsync(r, c, ct)),
        One<QueryRequest>("Query", (q, r, c, ct) => q.QueryAsync(r, c, ct)),
        One<RiskFlagsRequest>("GetRiskFlags", (q, r, c, ct) => q.RiskFlagsAsync(r, c, ct)),
    }.ToDictionary(r => r.Rpc, StringComparer.Ordinal);

    private static RpcQuery One<TRequest>(string rpc, Func<AnalyticsQueries, TRequest, Caller, CancellationToken, Task<TableResult>> query)
        where TRequest : IMessage, new() =>
        new(rpc, () => new TRequest(), async (q, r, c, ct) => [await query(q, (TRequest)r, c, ct)]);

    private static RpcQuery Many<TRequest>(string rpc, Func<AnalyticsQueries, TRequest, Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> query)
        where TRequest : IMessage, new() =>
        new(rpc, () => new TRequest(), (q, r, c, ct) => query(q, (TRequest)r, c, ct));
}
