using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Tests.Service.Gate;

/// <summary>The heavy lane: costly plans wait and run apart, on their own DuckDB instance, so small plans keep a lane.</summary>
public sealed class QueryGateLaneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qa-lanes-").FullName;

    [Fact]
    public async Task RunAsync_HeavyPlanHoldsTheHeavyLane_SmallPlanStillRunsAndASecondHeavyPlanWaits()
    {
        using var gate = new QueryGate(1, heavySlots: 1);
        var release = new TaskCompletionSource();
        var heavyStarted = new TaskCompletionSource();
        var heavy = gate.RunAsync("hostile", QueryWeight.Heavy, async ct => { heavyStarted.SetResult(); await release.Task; return 1; }, CancellationToken.None);
        await heavyStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var secondRan = false;
        var second = gate.RunAsync("hostile-2", QueryWeight.Heavy, _ => { secondRan = true; return Task.FromResult(2); }, CancellationToken.None);

        // The only light slot is free: the small plan runs at once, beside the heavy one.
        var small = await gate.RunAsync("small", _ => Task.FromResult(gate.Running()), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1, 1), small);
        Assert.False(secondRan);  // the second heavy plan waits for the heavy lane, not for a light slot
        release.SetResult();
        var results = await Task.WhenAll(heavy, second);
        Assert.Equal(new[] { 1, 2 }, results);
        Assert.True(secondRan);
    }

    [Fact]
    public async Task RunAsync_CallerProvedSlowWithLightPlans_StaysInTheLightLane()
    {
        // A director whose first, cold queries were slow must not be sent to the one-thread lane for the rest of the page.
        using var gate = new QueryGate(1, heavy: TimeSpan.FromMilliseconds(50), heavySlots: 1);
        await gate.RunAsync("director", async ct => { await Task.Delay(80, ct); return 0; }, CancellationToken.None);

        var lanes = await gate.RunAsync("director", _ => Task.FromResult(gate.Running()), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1, 0), lanes);
    }

    [Fact]
    public async Task RunAsync_HeavyLane_StaysFairBetweenCallers()
    {
        using var gate = new QueryGate(1, perCaller: 1, heavySlots: 1);
        var release = new TaskCompletionSource();
        var order = new List<string>();
        var first = gate.RunAsync("hostile", QueryWeight.Heavy, async _ => { await release.Task; return 0; }, CancellationToken.None);
        var queued = Enumerable.Range(0, 4).Select(i => gate.RunAsync("hostile", QueryWeight.Heavy, _ => { lock (order) order.Add("hostile"); return Task.FromResult(i); }, CancellationToken.None)).ToList();
        var newcomer = gate.RunAsync("analyst", QueryWeight.Heavy, _ => { lock (order) order.Add("analyst"); return Task.FromResult(9); }, CancellationToken.None);

        release.SetResult();
        await Task.WhenAll(queued.Append(first).Append(newcomer));

        Assert.Equal("analyst", order[0]);
        Assert.Equal(5, order.Count);
    }

    [Fact]
    public async Task RunAsync_HeavyLaneWithHalfTheTime_RestsAsLongAsItRanWhileSmallCallsAreAbout()
    {
        using var gate = new QueryGate(1, heavySlots: 1, heavyShare: 0.5);
        await gate.RunAsync("small", _ => Task.FromResult(0), CancellationToken.None);  // a small caller is about
        var firstDone = System.Diagnostics.Stopwatch.StartNew();
        var first = gate.RunAsync("hostile", QueryWeight.Heavy, async ct => { await Task.Delay(300, ct); firstDone.Restart(); return 0; }, CancellationToken.None);
        var second = gate.RunAsync("hostile", QueryWeight.Heavy, _ => Task.FromResult(firstDone.Elapsed), CancellationToken.None);
        await first;

        // While the heavy lane rests, a small call still runs, before the waiting heavy query.
        var smallRanAt = await gate.RunAsync("small", _ => Task.FromResult(firstDone.Elapsed), CancellationToken.None);
        var waitedAfterFirst = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(smallRanAt < waitedAfterFirst, $"small call ran {smallRanAt} after the first heavy query ended, the second heavy one {waitedAfterFirst}");
        Assert.True(waitedAfterFirst >= TimeSpan.FromMilliseconds(250), $"second heavy query started {waitedAfterFirst} after the first ended");
    }

    [Fact]
    public async Task Sent_HeavyResultsSending_AddsToTheRestWhileSmallCallsAreAbout()
    {
        using var gate = new QueryGate(1, heavySlots: 1, heavyShare: 0.5);
        await gate.RunAsync("small", _ => Task.FromResult(0), CancellationToken.None);  // a small caller is about
        await gate.RunAsync("hostile", QueryWeight.Heavy, _ => Task.FromResult(0), CancellationToken.None);  // computed at once: almost no rest
        var sent = System.Diagnostics.Stopwatch.StartNew();
        gate.Sent(TimeSpan.FromMilliseconds(300));  // but its sending took 300 ms: at half the time, the lane rests as long again

        var waited = await gate.RunAsync("hostile", QueryWeight.Heavy, _ => Task.FromResult(sent.Elapsed), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(waited >= TimeSpan.FromMilliseconds(250), $"the next heavy query started {waited} after the sending was reported");
    }

    [Fact]
    public async Task Sent_NoSmallCallerAbout_DoesNotHoldTheHeavyLane()
    {
        using var gate = new QueryGate(1, heavySlots: 1, heavyShare: 0.5);
        await gate.RunAsync("hostile", QueryWeight.Heavy, _ => Task.FromResult(0), CancellationToken.None);
        var sent = System.Diagnostics.Stopwatch.StartNew();
        gate.Sent(TimeSpan.FromSeconds(30));

        var waited = await gate.RunAsync("hostile", QueryWeight.Heavy, _ => Task.FromResult(sent.Elapsed), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(waited < TimeSpan.FromSeconds(5), $"the heavy lane rested {waited} with no small caller about");
    }

    [Fact]
    public async Task RunAsync_HeavyLane_OpensTheSnapshotOnItsOwnInstanceWithItsThreads()
    {
        var snapshot = Database();
        using var gate = new QueryGate(1, heavySlots: 1, heavyThreads: 7);  // a count no test machine has as its number of cores

        var light = await gate.RunAsync("a", QueryWeight.Light, _ => Task.FromResult(Threads(snapshot)), CancellationToken.None);  // a small caller is about
        var heavy = await gate.RunAsync("a", QueryWeight.Heavy, _ => Task.FromResult(Threads(snapshot)), CancellationToken.None);

        Assert.Equal(7, heavy);
        Assert.NotEqual(7, light);
        Assert.Null(LaneEngine.Current);  // nothing leaks out of the gate
    }

    [Fact]
    public async Task RunAsync_LightThreadsSet_SmallPlansRunOnAThirdInstanceWithThem()
    {
        var snapshot = Database();
        using var gate = new QueryGate(1, heavySlots: 1, heavyThreads: 7, lightThreads: 5);

        var small = await gate.RunAsync("a", QueryWeight.Small, _ => Task.FromResult(Threads(snapshot)), CancellationToken.None);
        var light = await gate.RunAsync("a", QueryWeight.Light, _ => Task.FromResult(Threads(snapshot)), CancellationToken.None);
        var heavy = await gate.RunAsync("a", QueryWeight.Heavy, _ => Task.FromResult(Threads(snapshot)), CancellationToken.None);

        Assert.Equal((7, 5), (heavy, small));
        Assert.Equal(Threads(snapshot), light);  // the light lane's other plans: the shared instance, as outside the gate
        Assert.NotEqual(5, light);
    }

    [Fact]
    public async Task RunAsync_HeavyLaneWithNoSmallCallerAbout_UsesEveryCoreUntilOneAsks()
    {
        var snapshot = Database();
        using var gate = new QueryGate(1, heavySlots: 1, heavyThreads: 7);
        var started = new TaskCompletionSource();
        var smallAsked = new TaskCompletionSource();

        var heavy = gate.RunAsync("hostile", QueryWeight.Heavy, async ct =>
        {
            var alone = Threads(snapshot);
            started.SetResult();
            await smallAsked.Task;
            // The running costly query's instance goes back to the lane's own threads (off the small caller's thread, so not at once).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Threads(snapshot) != 7 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10, ct);
            return (alone, Threads(snapshot));
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await gate.RunAsync("small", _ => Task.FromResult(0), CancellationToken.None);
        smallAsked.SetResult();

        Assert.Equal((Environment.ProcessorCount, 7), await heavy.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task RunAsync_HeavyDuckDbQueryPastTheDeadline_IsInterrupted()
    {
        var snapshot = Database();
        using var gate = new QueryGate(1, timeout: TimeSpan.FromMilliseconds(300), heavySlots: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Minutes of work on one thread if nothing stops it.
        await Assert.ThrowsAsync<QueryTimeoutException>(() => gate.RunAsync("slow", QueryWeight.Heavy, async ct =>
        {
            using var connection = SnapshotSource.Open(snapshot);
            Assert.Contains("/./", connection.ConnectionString, StringComparison.Ordinal);  // the heavy instance
            return await DuckDbArrow.QueryAsync(connection, "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE (a.range * b.range) % 7 = 3",
                new Dictionary<string, object?>(), [], ct);
        }, CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal((0, 0), gate.Running());
    }

    [Fact]
    public void PlanWeight_CostlyQueryAndSmallCalls_FallEitherSideOfTheDefault()
    {
        var director = new Caller("d", Role.Director, "800", null, null);
        var costly = new QueryRequest
        {
            Measures = { "audits" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.Rolling12Months, Dimensions = { "audit_type", "auditor_id" }, ComparePreviousPeriod = true,
        };
        var small = new GradeDistributionRequest { Grain = TimeGrain.FinancialYear };
        var teamMonths = new KpiTrendRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month };
        var quarter = new GradeDistributionRequest { GroupBy = OrgLevel.Team, Period = new PeriodRange { FromMonth = "2024-04", ToMonth = "2024-06" } };
        var heavyAt = new QaAnalytics.Service.ServiceOptions().HeavyPlanWeight;

        Assert.Equal(10 * 60 * 12 * 5 * 30 * 2, PlanWeight.Estimate(costly, director));
        Assert.Equal(5, PlanWeight.Estimate(small, director));
        Assert.Equal(600, PlanWeight.Estimate(teamMonths, director));
        Assert.Equal(10, PlanWeight.Estimate(quarter, director));
        Assert.Equal(QueryWeight.Heavy, PlanWeight.Of(costly, director, heavyAt));
        Assert.Equal(QueryWeight.Light, PlanWeight.Of(teamMonths, director, heavyAt));
        // The same question over every council weighs more for a caller not held to one.
        Assert.Equal(600 * PlanWeight.EveryCouncil, PlanWeight.Estimate(teamMonths, director with { LaCode = null }));
    }

    /// <summary>A small read-only snapshot file of its own.</summary>
    private Snapshot Database()
    {
        var file = Path.Combine(_dir, "qa.duckdb");
        using (var connection = new DuckDBConnection($"Data Source={file}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE t AS SELECT range AS i FROM range(10)";
            cmd.ExecuteNonQuery();
        }
        return new Snapshot(file, "lanes", DateTime.UtcNow);
    }

    private static int Threads(Snapshot snapshot)
    {
        using var connection = SnapshotSource.Open(snapshot);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT current_setting('threads')::INTEGER";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A connection still closing; the temp folder is cleaned later.
        }
    }
}
