using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Gate;

namespace QaAnalytics.Tests.Service.Gate;

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

public sealed class QueryGateFairnessTests
{
    [Fact]
    public async Task RunAsync_BusyCallerAndNewcomer_NewcomerGoesFirst()
    {
        using var gate = new QueryGate(1, perCaller: 1);
        var release = new TaskCompletionSource();
        var order = new List<string>();
        var first = gate.RunAsync("hostile", async _ => { await release.Task; return 0; }, CancellationToken.None);
        // The hostile caller queues five more before the newcomer asks once.
        var queued = Enumerable.Range(0, 5).Select(i => gate.RunAsync("hostile", _ => { lock (order) order.Add("hostile"); return Task.FromResult(i); }, CancellationToken.None)).ToList();
        var newcomer = gate.RunAsync("small", _ => { lock (order) order.Add("small"); return Task.FromResult(9); }, CancellationToken.None);

        release.SetResult();
        await Task.WhenAll(queued.Append(first).Append(newcomer));

        Assert.Equal("small", order[0]);
    }

    [Fact]
    public async Task RunAsync_PerCallerLimit_LeavesSlotsForOthers()
    {
        using var gate = new QueryGate(2, perCaller: 1);
        var release = new TaskCompletionSource();
        var hostile = Enumerable.Range(0, 3).Select(_ => gate.RunAsync("hostile", async _ => { await release.Task; return 0; }, CancellationToken.None)).ToList();

        // One slot is still free for someone else while the hostile caller's other calls wait.
        var small = await gate.RunAsync("small", _ => Task.FromResult(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, small);
        release.SetResult();
        await Task.WhenAll(hostile);
    }

    [Fact]
    public async Task RunAsync_PastTheDeadline_CancelsTheQueryAndThrowsTimeout()
    {
        using var gate = new QueryGate(1, timeout: TimeSpan.FromMilliseconds(200));
        var cancelled = false;

        await Assert.ThrowsAsync<QueryTimeoutException>(() => gate.RunAsync("slow", async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
            return 0;
        }, CancellationToken.None));
        Assert.True(cancelled);
        // The slot is free again.
        Assert.Equal(5, await gate.RunAsync("next", _ => Task.FromResult(5), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_DuckDbQueryPastTheDeadline_IsInterrupted()
    {
        using var gate = new QueryGate(1, timeout: TimeSpan.FromMilliseconds(300));
        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Minutes of work if nothing stops it.
        await Assert.ThrowsAsync<QueryTimeoutException>(() => gate.RunAsync("slow", ct => DuckDbArrow.QueryAsync(connection,
            "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE (a.range * b.range) % 7 = 3", new Dictionary<string, object?>(), [], ct), CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}

public sealed class QueryGateHeavyCallerTests
{
    [Fact]
    public async Task RunAsync_TwoHeavyCallers_LeaveTheLastSlotToALightOne()
    {
        using var gate = new QueryGate(2, perCaller: 1, heavy: TimeSpan.FromMilliseconds(50));
        await gate.RunAsync("small", _ => Task.FromResult(0), CancellationToken.None);  // a light caller is about
        // Both hostile callers become heavy: one query of 80 ms each.
        await Task.WhenAll(
            gate.RunAsync("hostile-1", async ct => { await Task.Delay(80, ct); return 0; }, CancellationToken.None),
            gate.RunAsync("hostile-2", async ct => { await Task.Delay(80, ct); return 0; }, CancellationToken.None));
        var release = new TaskCompletionSource();
        var running = 0;
        var hostile = new[] { "hostile-1", "hostile-2" }.Select(h => gate.RunAsync(h, async _ => { Interlocked.Increment(ref running); await release.Task; return 0; }, CancellationToken.None)).ToList();

        // Only one heavy query runs; the other waits, and the light caller gets the free slot at once.
        var small = await gate.RunAsync("small", _ => Task.FromResult(Volatile.Read(ref running)), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, small);
        release.SetResult();
        await Task.WhenAll(hostile);
    }
}

public sealed class QueryGateHeavyAloneTests
{
    [Fact]
    public async Task RunAsync_HeavyCallerAlone_UsesEverySlot()
    {
        using var gate = new QueryGate(2, heavy: TimeSpan.FromMilliseconds(50));
        await gate.RunAsync("busy", async ct => { await Task.Delay(80, ct); return 0; }, CancellationToken.None);
        var release = new TaskCompletionSource();
        var running = 0;
        var most = 0;

        var calls = Enumerable.Range(0, 2).Select(_ => gate.RunAsync("busy", async _ =>
        {
            var now = Interlocked.Increment(ref running);
            lock (gate) most = Math.Max(most, now);
            await release.Task;
            return 0;
        }, CancellationToken.None)).ToList();
        await Task.Delay(200);
        release.SetResult();
        await Task.WhenAll(calls);

        // No light caller has asked: the heavy one is not held to one slot.
        Assert.Equal(2, most);
    }
}
