using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Caching;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Tests.Service.Caching;

public sealed class ResultCacheTests
{
    private static readonly Snapshot Snapshot = new("/a", "run-a", DateTime.UnixEpoch);

    private static IReadOnlyList<TableResult> Tables() => [new TableResult("t", Snapshot, new ArrowResult([new byte[10]], 1, []))];

    [Fact]
    public async Task GetOrComputeAsync_IdenticalCallsAtOnce_ComputeOnce()
    {
        var cache = new ResultCache();
        var computed = 0;
        var release = new TaskCompletionSource();
        var calls = Enumerable.Range(0, 10).Select(_ => cache.GetOrComputeAsync(Snapshot, "k", async _ =>
        {
            Interlocked.Increment(ref computed);
            await release.Task;
            return Tables();
        }, CancellationToken.None)).ToList();
        release.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, computed);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.True(cache.TryGet(Snapshot, "k", out _));
    }

    [Fact]
    public async Task GetOrComputeAsync_ComputingCallGivesUp_AWaitingCallComputesItself()
    {
        var cache = new ResultCache();
        using var first = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var giving = cache.GetOrComputeAsync(Snapshot, "k", async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return Tables();
        }, first.Token);
        await started.Task;
        var waiting = cache.GetOrComputeAsync(Snapshot, "k", _ => Task.FromResult(Tables()), CancellationToken.None);
        await first.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => giving);
        Assert.Single(await waiting);
    }

    [Fact]
    public async Task GetOrComputeAsync_Failure_IsEveryWaitersAnswerAndNotCached()
    {
        var cache = new ResultCache();
        var release = new TaskCompletionSource();
        var calls = Enumerable.Range(0, 3).Select(_ => cache.GetOrComputeAsync(Snapshot, "k", async _ =>
        {
            await release.Task;
            throw new BadArgumentException("grain", "bad");
        }, CancellationToken.None)).ToList();
        release.SetResult();

        foreach (var call in calls) await Assert.ThrowsAsync<BadArgumentException>(() => call);
        Assert.False(cache.TryGet(Snapshot, "k", out _));
    }
}
