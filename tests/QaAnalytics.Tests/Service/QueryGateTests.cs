using QaAnalytics.Service.Queries;

namespace QaAnalytics.Tests.Service;

public sealed class QueryGateTests
{
    [Fact]
    public async Task RunAsync_MoreCallsThanSlots_RunAtMostSlotsAtOnceAndAllFinish()
    {
        using var gate = new QueryGate(2);
        var running = 0;
        var most = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => gate.RunAsync(async ct =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref running);
            return i;
        }, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 8), results);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_ThrowsWithoutRunning()
    {
        using var gate = new QueryGate(1);
        var release = new TaskCompletionSource();
        var first = gate.RunAsync(async _ => { await release.Task; return 1; }, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var second = gate.RunAsync(_ => { ran = true; return Task.FromResult(2); }, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        release.SetResult();
        Assert.Equal(1, await first);
        Assert.False(ran);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
