using System.Net;
using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// Issue 13 §3: a call over the row cap (QaAnalytics:MaxRowsPerCall, here 3) is refused
/// FailedPrecondition over gRPC and 422 over HTTP, with the same message naming the cap and how to
/// narrow the query; a call under it is answered.
/// </summary>
public sealed class RowCapTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly Dictionary<string, string> SmallCap = new() { ["QaAnalytics:MaxRowsPerCall"] = "3" };

    [Fact]
    public async Task Query_OverTheCap_FailedPreconditionNamingTheCapAndHowToNarrow()
    {
        var client = new QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient(fixture.Channel(0, SmallCap));
        var byTeamAndMonth = new QueryRequest { Measures = { "audits" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.Month };

        var refused = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.Query(byTeamAndMonth)));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("more than 3 rows", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("QaAnalytics:MaxRowsPerCall", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("coarser grain", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("shorter period", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rpcs_UnderAndOverTheCap_AnsweredOrRefused()
    {
        var client = new QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient(fixture.Channel(0, SmallCap));

        var council = (await ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.All })))[0];
        var triangulation = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetTriangulation(new TriangulationRequest { Grain = TimeGrain.Month })));

        Assert.InRange(council.Rows.Count, 1, 3);
        Assert.Equal(StatusCode.FailedPrecondition, triangulation.StatusCode);
    }

    [Fact]
    public async Task Api_OverTheCap_422WithTheSameMessage()
    {
        var http = fixture.Http(0, SmallCap);
        var client = new QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient(fixture.Channel(0, SmallCap));
        var grpc = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month })));

        using var response = await http.GetAsync("/api/v1/grade-distribution?group_by=team&grain=month");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(grpc.Status.Detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
