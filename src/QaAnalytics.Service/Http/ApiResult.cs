using Google.Protobuf;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Grpc;
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
        Of("grade-distribution", "GetGradeDistribution", "grade_distribution"),
        Of("moderation", "GetModeration", "moderation"),
        Of("audit-compliance", "GetAuditCompliance", "audit_compliance"),
        Of("inadequate-follow-up", "GetInadequateFollowUp", "inadequate_follow_up"),
        Of("complaints", "GetComplaints", "complaints"),
        Of("kpi-trend", "GetKpiTrend", "kpi_trend"),
        Of("risk-flags", "GetRiskFlags", "risk_flags"),
        Of("triangulation", "GetTriangulation", "triangulation"),
        Of("theme-correlation", "GetTriangulation", "theme_correlation"),
        .. new[] { "teams", "periods", "kpis", "measures", "risk_model" }.Select(t => Of("catalogue/" + t.Replace('_', '-'), "GetCatalogue", t)),
    ];

    /// <summary>The result <paramref name="table"/> of <paramref name="rpc"/>: its request type and question are the RPC's own.</summary>
    private static ApiResult Of(string path, string rpc, string table)
    {
        var query = RpcQueries.All[rpc];
        return new(path, rpc, query.NewRequest, table, query.Run);
    }
}
