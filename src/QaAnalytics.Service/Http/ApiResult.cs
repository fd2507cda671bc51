using Google.Protobuf;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Http;

/// <summary>
/// One result served over plain HTTP: its path under <c>/api/v1</c>, the RPC whose request message
/// it fills from the query string (so the parameters are the RPC's fields), the table of the RPC's
/// answer it returns, and the question that computes it — the same one the RPC runs.
/// </summary>
public sealed record ApiResult(string Path, string Rpc, Func<IMessage> NewRequest, string Table,
    Func<AnalyticsQueries, IMessage, Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> Query)
{
    /// <summary>Every result, by path (the catalogue's tables under <c>catalogue/</c>).</summary>
    public static readonly IReadOnlyDictionary<string, ApiResult> All = List().ToDictionary(r => r.Path, StringComparer.Ordinal);

    private static IEnumerable<ApiResult> List() =>
    [
        One<GradeDistributionRequest>("grade-distribution", "GetGradeDistribution", "grade_distribution", (q, r, c, ct) => q.GradeDistributionAsync(r, c, ct)),
        One<ModerationRequest>("moderation", "GetModeration", "moderation", (q, r, c, ct) => q.ModerationAsync(r, c, ct)),
        One<AuditComplianceRequest>("audit-compliance", "GetAuditCompliance", "audit_compliance", (q, r, c, ct) => q.AuditComplianceAsync(r, c, ct)),
        One<InadequateFollowUpRequest>("inadequate-follow-up", "GetInadequateFollowUp", "inadequate_follow_up", (q, r, c, ct) => q.InadequateFollowUpAsync(r, c, ct)),
        One<ComplaintsRequest>("complaints", "GetComplaints", "complaints", (q, r, c, ct) => q.ComplaintsAsync(r, c, ct)),
        One<KpiTrendRequest>("kpi-trend", "GetKpiTrend", "kpi_trend", (q, r, c, ct) => q.KpiTrendAsync(r, c, ct)),
        One<RiskFlagsRequest>("risk-flags", "GetRiskFlags", "risk_flags", (q, r, c, ct) => q.RiskFlagsAsync(r, c, ct)),
        Many<TriangulationRequest>("triangulation", "GetTriangulation", "triangulation", (q, r, c, ct) => q.TriangulationAsync(r, c, ct)),
        Many<TriangulationRequest>("theme-correlation", "GetTriangulation", "theme_correlation", (q, r, c, ct) => q.TriangulationAsync(r, c, ct)),
        .. new[] { "teams", "periods", "kpis", "measures", "risk_model" }.Select(t =>
            Many<CatalogueRequest>("catalogue/" + t.Replace('_', '-'), "GetCatalogue", t, (q, _, c, ct) => q.CatalogueAsync(c, ct))),
    ];

    private static ApiResult One<TRequest>(string path, string rpc, string table, Func<AnalyticsQueries, TRequest, Caller, CancellationToken, Task<TableResult>> query)
        where TRequest : IMessage, new() =>
        new(path, rpc, () => new TRequest(), table, async (q, r, c, ct) => [await query(q, (TRequest)r, c, ct)]);

    private static ApiResult Many<TRequest>(string path, string rpc, string table, Func<AnalyticsQueries, TRequest, Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> query)
        where TRequest : IMessage, new() =>
        new(path, rpc, () => new TRequest(), table, (q, r, c, ct) => query(q, (TRequest)r, c, ct));
}
