using Grpc.Core;
using QaAnalytics.Benchmarks;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.Service;

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

        var report = await FuzzReport.RunAsync(channel.CreateCallInvoker(), vocabulary, seed: 20261125, calls: 400,
            duration: TimeSpan.FromSeconds(15), deadline: TimeSpan.FromSeconds(10));

        using var log = new StringWriter();
        report.Print(log);
        output.WriteLine(log.ToString());
        Assert.True(report.Failures.Count == 0, log.ToString());
        Assert.True(report.Calls >= 200, $"only {report.Calls} calls in the time allowed:\n{log}");
        // Every RPC was called, and the fuzz reached past argument checking into the queries.
        var rpcs = RequestFuzzer.Service.Methods.Select(m => m.Name).ToList();
        Assert.All(rpcs, rpc => Assert.True(report.Counts.Keys.Any(k => k.Rpc == rpc), $"{rpc} was never called:\n{log}"));
        Assert.True(report.Count(StatusCode.OK) >= 20, log.ToString());
        Assert.True(report.Count(StatusCode.InvalidArgument) >= 20, log.ToString());
    }
}
