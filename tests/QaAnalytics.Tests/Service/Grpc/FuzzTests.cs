using Grpc.Core;
using QaAnalytics.Testing;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.Service.Grpc;

/// <summary>
/// Issue 5 §3, fast variant (the long run is <c>bench … fuzz --seconds 60</c>): a few hundred
/// random requests, built from the contract's descriptors, to every RPC of the in-process service
/// over the hand-made dataset. Each must end OK, InvalidArgument, NotFound or (with
/// authentication) PermissionDenied / Unauthenticated — never Unknown or Internal, and never a hang
/// (DeadlineExceeded under a generous deadline).
/// </summary>
public sealed class FuzzTests(ServiceFixture fixture, ITestOutputHelper output) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task RandomRequests_ToEveryRpc_GetOnlyAllowedStatuses()
    {
        var channel = fixture.Channel(suppressBelowOrAt: 5);
        var vocabulary = await FuzzVocabulary.FromCatalogueAsync(new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel));
        Assert.NotEmpty(vocabulary.For("team_ids"));
        Assert.NotEmpty(vocabulary.For("measures"));

        var report = await FuzzReport.RunAsync(channel.CreateCallInvoker(), vocabulary, seed: 20261125, calls: 300,
            duration: TimeSpan.FromSeconds(15), deadline: TimeSpan.FromSeconds(10));

        using var log = new StringWriter();
        report.Print(log);
        output.WriteLine(log.ToString());
        Assert.True(report.Failures.Count == 0, log.ToString());
        Assert.True(report.Calls >= 100, $"only {report.Calls} calls in the time allowed:\n{log}");
        // Every RPC was called, and the fuzz reached past argument checking into the queries.
        var rpcs = RequestFuzzer.Service.Methods.Select(m => m.Name).ToList();
        Assert.All(rpcs, rpc => Assert.True(report.Counts.Keys.Any(k => k.Rpc == rpc), $"{rpc} was never called:\n{log}"));
        Assert.True(report.Count(StatusCode.OK) >= 20, log.ToString());
        Assert.True(report.Count(StatusCode.InvalidArgument) >= 20, log.ToString());
    }

    /// <summary>
    /// Found by the long fuzz: a refusal quoting a huge value sent it back in the grpc-message
    /// trailer, past the .NET client's 64 KB header limit, which aborted the connection (Unavailable
    /// for every call on it). The detail is now cut to its start and end.
    /// </summary>
    [Fact]
    public async Task HugeBadValue_IsRefusedWithAShortDetail()
    {
        var client = fixture.Client(suppressBelowOrAt: 5);
        var huge = new string('x', 1_000_000);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(
            new Contracts.V1.GradeDistributionRequest { AuditTypes = { huge } })));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.InRange(ex.Status.Detail.Length, 1, QaAnalytics.Service.Errors.EdgeErrors.MaxDetail + 100);
        // Refused by the value-length limit before any longer message could quote it.
        Assert.StartsWith("audit_types: a value may be at most 200 characters (one has 1,000,000)", ex.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// Found by the long fuzz: kpi_value is a rate or a mean by each KPI's unit, which only the
    /// kpi_code dimension brings; with theme, or a kpi_code filter alone, the query failed Internal.
    /// </summary>
    [Fact]
    public async Task KpiValue_WithoutTheKpiCodeDimension_IsInvalidArgument()
    {
        var client = fixture.Client(suppressBelowOrAt: 5);
        var byTheme = new Contracts.V1.QueryRequest { Measures = { "kpi_value" }, Dimensions = { "theme" } };
        var byFilter = new Contracts.V1.QueryRequest { Measures = { "kpi_value" }, Filters = { new Contracts.V1.Filter { Dimension = "kpi_code", Values = { "VISITS_IN_TIMESCALE" } } } };

        foreach (var request in new[] { byTheme, byFilter })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.Query(request)));
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Contains("kpi_value needs the kpi_code dimension", ex.Status.Detail, StringComparison.Ordinal);
        }
        var withCode = await ArrowClient.ReadAsync(client.Query(new Contracts.V1.QueryRequest { Measures = { "kpi_value" }, Dimensions = { "kpi_code" } }));
        Assert.NotEmpty(withCode.Single().Rows);
    }
}
