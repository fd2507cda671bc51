using Microsoft.Extensions.Logging.Abstractions;
using QaAnalytics.Service;
using QaAnalytics.Service.Dashboard;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Tests.Service.Dashboard;

public sealed class DashboardWarmUpTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task WarmAsync_OnTheHandMadeSnapshot_RunsEveryFeedThroughTheGate()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new ServiceOptions { DatabasePath = fixture.DbPath });
        using var snapshots = new SnapshotSource(options);
        using var gate = new QueryGate(1, perCaller: 1);
        var warmUp = new DashboardWarmUp(snapshots, new AnalyticsQueries(snapshots, options), gate, options, NullLogger<DashboardWarmUp>.Instance);
        var release = new TaskCompletionSource();
        var busy = gate.RunAsync("director", async _ => { await release.Task; return 0; }, CancellationToken.None);

        // The gate's only slot is taken: the warm-up waits its turn like any caller.
        var warming = warmUp.WarmAsync(snapshots.Current(), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(warming.IsCompleted);
        release.SetResult();
        await busy;
        var feeds = await warming.WaitAsync(TimeSpan.FromSeconds(60));

        // Every distinct computation the dashboard reads: six RPCs, triangulation (shared with theme
        // correlation), the catalogue (shared by its tables) and risk flags when the snapshot is scored.
        Assert.InRange(feeds, 8, 9);
        Assert.Equal((0, 0), gate.Running());
    }
}
