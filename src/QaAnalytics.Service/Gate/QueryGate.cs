using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Gate;

/// <summary>Where a query runs: the light lane (most calls) or the heavy lane (costly plans).</summary>
public enum QueryWeight
{
    /// <summary>A plan that is not costly: the light lane, on the shared DuckDB instance with every thread.</summary>
    Light,

    /// <summary>
    /// A small plan (one council's question, say): the light lane, on the light lane's own instance
    /// when it has one (<c>lightThreads</c>), else as <see cref="Light"/>.
    /// </summary>
    Small,

    /// <summary>A costly plan (see <see cref="PlanWeight"/>): the heavy lane and its own DuckDB instance with few threads.</summary>
    Heavy,
}

/// <summary>
/// At most so many queries run on DuckDB at once (default: one per core); the rest wait their turn.
/// DuckDB already uses every core for one query, so running more at once only makes them all
/// slower and the slowest much slower; queueing keeps the tail of the latency close to the middle.
/// Cached answers do not pass through the gate.
/// <para>
/// Two lanes. A costly plan (<see cref="QueryWeight.Heavy"/>, estimated before it runs by
/// <see cref="PlanWeight"/>) runs in the heavy lane: <c>heavySlots</c> at a time, on a second
/// read-only DuckDB instance of the same snapshot opened with <c>heavyThreads</c> threads
/// (<see cref="LaneEngine"/>). DuckDB's thread count belongs to an instance, not a query, so on
/// one instance a costly query would take every thread and small ones would wait for them; with
/// two, a small plan never queues behind a costly one and shares the cores with at most
/// <c>heavySlots × heavyThreads</c> threads of costly work. While a light caller is about, the heavy
/// lane is busy at most <c>heavyShare</c> of the time: after a heavy query it rests in proportion to
/// how long that query took. With <c>heavySlots</c> = 0 there is one lane, as before. With
/// <c>lightThreads</c> &gt; 0 the light lane's small plans (<see cref="QueryWeight.Small"/>) run on an
/// instance of their own, with that many threads; its other plans stay on the shared instance.
/// A costly query that starts while no light caller is about runs on every core; when a light
/// caller then asks, the heavy instance goes back to <c>heavyThreads</c> at once.
/// With <c>heavyLowPriority</c>, the heavy lane's queries run on threads of lower operating-system
/// priority (<see cref="LowPriorityScheduler"/>), so they take only the CPU small calls leave.
/// </para>
/// <para>
/// Turns are fair between callers: one caller runs at most <c>perCaller</c> queries at once, and a
/// freed slot goes to a light caller before a heavy one, then to the caller with the fewest queries
/// running, then to the one whose last query started longest ago, so a caller sending many (or
/// costly) requests waits behind everyone else rather than in front. A caller is heavy while its
/// queries take <c>heavy</c> or more on average (a moving average of its last few), or one of them
/// has been running that long. In the light lane, while a light caller has asked in the last
/// <see cref="LightMemory"/>, heavy callers together never hold the last slot, which stays free for
/// light ones. With no light caller about, heavy ones may use every slot. Every query gets a
/// deadline, in either lane: past it, its token is cancelled (which interrupts DuckDB) and the call
/// fails with <see cref="QueryTimeoutException"/>.
/// </para>
/// </summary>
public sealed class QueryGate(int slots, int perCaller = int.MaxValue, TimeSpan? timeout = null, TimeSpan? heavy = null, int heavySlots = 0, int heavyThreads = 1, double heavyPlanWeight = double.PositiveInfinity, double heavyShare = 1, int lightThreads = 0, bool heavyLowPriority = false) : IDisposable
{
    private readonly object _lock = new();
    private readonly int[] _slots = [Math.Max(1, slots), Math.Max(0, heavySlots)];  // by lane: light, heavy
    private readonly int[] _running = new int[2];
    private readonly int _perCaller = Math.Max(1, perCaller);
    private readonly Dictionary<string, int> _runningBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastStart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _averageMs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _oldestRunning = new(StringComparer.Ordinal);  // Stopwatch timestamp of the caller's longest-running query
    private readonly LaneEngine?[] _engines = [lightThreads > 0 ? new LaneEngine(lightThreads, Light) : null, heavySlots > 0 ? new LaneEngine(heavyThreads, Heavy) : null];
    private readonly LowPriorityScheduler? _heavyScheduler = heavySlots > 0 && heavyLowPriority ? new LowPriorityScheduler(heavySlots) : null;
    private long _lastLight;                                                                    // Stopwatch timestamp a light caller last asked
    private long _heavyRestUntil;                                                               // Stopwatch timestamp the heavy lane may start again
    private bool _heavyWide;                                                                    // the heavy lane's instance was given every core (no light caller about)
    private readonly double _heavyShare = Math.Clamp(heavyShare, 0.01, 1);

    /// <summary>How long the last slot is kept for light callers after one last asked.</summary>
    public static readonly TimeSpan LightMemory = TimeSpan.FromSeconds(10);
    private readonly List<Waiter> _waiting = [];
    private long _starts;

    /// <summary>The estimated cells (<see cref="PlanWeight"/>) from which a plan is heavy.</summary>
    public double HeavyPlanWeight => heavyPlanWeight;

    /// <summary>The deadline of one query (null: none).</summary>
    public TimeSpan? Timeout => timeout;

    /// <summary>Runs a query for an anonymous caller (every such call shares one turn).</summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken ct) => RunAsync("", query, ct);

    /// <summary>Runs a light plan for <paramref name="caller"/>.</summary>
    public Task<T> RunAsync<T>(string caller, Func<CancellationToken, Task<T>> query, CancellationToken ct) => RunAsync(caller, QueryWeight.Light, query, ct);

    /// <summary>
    /// Runs <paramref name="query"/> when <paramref name="caller"/> gets a slot in the lane its
    /// <paramref name="weight"/> calls for, with the deadline. In the heavy
    /// lane, <see cref="Snapshots.SnapshotSource.Open(Snapshots.Snapshot)"/> opens the heavy DuckDB instance.
    /// </summary>
    public async Task<T> RunAsync<T>(string caller, QueryWeight weight, Func<CancellationToken, Task<T>> query, CancellationToken ct)
    {
        var (lane, started) = await EnterAsync(caller, weight, ct);
        if (lane == Heavy && _engines[Heavy] is { } engine)
        {
            // Alone, a costly query may use every core; while small calls are about, the lane's own few threads.
            bool alone;
            lock (_lock) _heavyWide = alone = !LightAbout();
            engine.UseThreads(alone ? Environment.ProcessorCount : heavyThreads);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (timeout is { } t) deadline.CancelAfter(t);
            LaneEngine.Current = lane == Heavy || weight == QueryWeight.Small ? _engines[lane] : null;  // flows into the query; an async method's change does not flow back out
            try
            {
                return lane == Heavy && _heavyScheduler is { } low ? await low.Run(() => query(deadline.Token)) : await query(deadline.Token);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new QueryTimeoutException(timeout!.Value, ex);
            }
        }
        finally
        {
            LaneEngine.Current = null;
            Leave(caller, lane, started, clock.Elapsed);
        }
    }

    private const int Light = 0;
    private const int Heavy = 1;

    /// <summary>Queries running now in the light and the heavy lane.</summary>
    public (int Light, int Heavy) Running()
    {
        lock (_lock) return (_running[Light], _running[Heavy]);
    }

    /// <summary>Waits for a slot; the lane and the Stopwatch timestamp the query started at.</summary>
    private async Task<(int Lane, long Started)> EnterAsync(string caller, QueryWeight weight, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            var heavyCaller = IsHeavy(caller);
            if (!heavyCaller && weight != QueryWeight.Heavy)
            {
                _lastLight = System.Diagnostics.Stopwatch.GetTimestamp();
                if (_heavyWide && _engines[Heavy] is { } engine)
                {
                    // A small call is about: the heavy lane gives back the cores it borrowed, off this thread (DuckDB stops the extra threads between morsels).
                    _heavyWide = false;
                    _ = Task.Run(() => engine.UseThreads(heavyThreads), CancellationToken.None);
                }
            }
            waiter = new Waiter(caller, _slots[Heavy] > 0 && weight == QueryWeight.Heavy ? Heavy : Light);
            if (Eligible(waiter) && !_waiting.Any(w => w.Lane == waiter.Lane && Eligible(w)))
            {
                return (waiter.Lane, Start(waiter));
            }
            _waiting.Add(waiter);
            if (waiter.Lane == Heavy) WakeAfterRest();
        }
        waiter.Registration = ct.Register(() =>
        {
            lock (_lock)
            {
                if (!_waiting.Remove(waiter)) return;
            }
            waiter.Turn.TrySetCanceled(ct);
        });
        return (waiter.Lane, await waiter.Turn.Task);
    }

    private void Leave(string caller, int lane, long startedAt, TimeSpan took)
    {
        lock (_lock)
        {
            _running[lane]--;
            if (--_runningBy[caller] == 0)
            {
                _runningBy.Remove(caller);
                _oldestRunning.Remove(caller);
            }
            else if (_oldestRunning.TryGetValue(caller, out var oldest) && oldest == startedAt)
            {
                _oldestRunning[caller] = System.Diagnostics.Stopwatch.GetTimestamp();  // not exact with several running; an under-estimate
            }
            // A moving average of the caller's last few queries (the newest counts for a third).
            _averageMs[caller] = _averageMs.TryGetValue(caller, out var average) ? average + (took.TotalMilliseconds - average) / 3 : took.TotalMilliseconds;
            if (lane == Heavy && _heavyShare < 1 && LightAbout())
            {
                // The heavy lane rests in proportion to what it just ran, so costly work has at most its share of the time while small calls are about.
                var rest = took * (1 / _heavyShare - 1);
                _heavyRestUntil = Math.Max(_heavyRestUntil, System.Diagnostics.Stopwatch.GetTimestamp() + (long)(rest.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
                _ = Task.Delay(rest).ContinueWith(_ => Pump(), TaskScheduler.Default);
            }
        }
        Pump();
    }

    /// <summary>
    /// A result computed in the heavy lane took <paramref name="sending"/> to encode and send after
    /// it was computed. While small calls are about, the heavy lane rests in proportion to that too:
    /// the sending of a costly result uses the cores as its computing did, outside the lane, so
    /// without this the costly work's share of the time was several times <c>heavyShare</c>.
    /// </summary>
    public void Sent(TimeSpan sending)
    {
        lock (_lock)
        {
            if (_slots[Heavy] == 0 || _heavyShare >= 1 || !LightAbout()) return;
            var rest = sending * (1 / _heavyShare - 1);
            _heavyRestUntil = Math.Max(_heavyRestUntil, System.Diagnostics.Stopwatch.GetTimestamp()) + (long)(rest.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        }
        Pump();
    }

    /// <summary>Starts every waiter that may start now.</summary>
    private void Pump()
    {
        var started = new List<(Waiter Waiter, long At)>();
        lock (_lock)
        {
            while (Next() is { } next)
            {
                _waiting.Remove(next);
                started.Add((next, Start(next)));
            }
            if (_waiting.Any(w => w.Lane == Heavy)) WakeAfterRest();
        }
        foreach (var (waiter, at) in started)
        {
            waiter.Registration.Dispose();
            waiter.Turn.TrySetResult(at);
        }
    }

    /// <summary>
    /// While the heavy lane rests and small calls are about, looks again when the rest is over (a
    /// timer may fire a little early, so a millisecond after). Called under the lock whenever a heavy
    /// query is left waiting: nothing else would start it once the rest ends.
    /// </summary>
    private void WakeAfterRest()
    {
        var resting = _heavyRestUntil - System.Diagnostics.Stopwatch.GetTimestamp();
        if (resting <= 0 || !LightAbout()) return;
        _ = Task.Delay(TimeSpan.FromSeconds((double)resting / System.Diagnostics.Stopwatch.Frequency) + TimeSpan.FromMilliseconds(1)).ContinueWith(_ => Pump(), TaskScheduler.Default);
    }

    /// <summary>The eligible waiter whose caller is light, then has the fewest queries running, then started longest ago, then asked first.</summary>
    private Waiter? Next()
    {
        Waiter? best = null;
        foreach (var w in _waiting.Where(Eligible))
        {
            if (best is null || (IsHeavy(w.Caller), Running(w.Caller), LastStart(w.Caller)).CompareTo((IsHeavy(best.Caller), Running(best.Caller), LastStart(best.Caller))) < 0) best = w;
        }
        return best;
    }

    /// <summary>
    /// A slot free in its lane, under its caller's own limit, in the heavy lane not while it rests,
    /// and, for a heavy caller in the light lane, not taking the last slot (unless there is only one).
    /// </summary>
    private bool Eligible(Waiter w) =>
        _running[w.Lane] < _slots[w.Lane] && Running(w.Caller) < _perCaller
        && (w.Lane == Light || System.Diagnostics.Stopwatch.GetTimestamp() >= _heavyRestUntil || !LightAbout())
        && (w.Lane == Heavy || !IsHeavy(w.Caller) || _slots[Light] == 1 || HeavyRunning() < _slots[Light] - 1
            || !LightAbout());

    /// <summary>A light caller asked within <see cref="LightMemory"/>.</summary>
    private bool LightAbout() => _lastLight != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(_lastLight) <= LightMemory;

    private int HeavyRunning() => _runningBy.Where(r => IsHeavy(r.Key)).Sum(r => r.Value);

    private bool IsHeavy(string caller) => heavy is { } h
        && ((_averageMs.TryGetValue(caller, out var ms) && ms >= h.TotalMilliseconds)
            || (_oldestRunning.TryGetValue(caller, out var since) && System.Diagnostics.Stopwatch.GetElapsedTime(since) >= h));

    private int Running(string caller) => _runningBy.GetValueOrDefault(caller);

    private long LastStart(string caller) => _lastStart.GetValueOrDefault(caller);

    private long Start(Waiter w)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _running[w.Lane]++;
        _runningBy[w.Caller] = Running(w.Caller) + 1;
        _lastStart[w.Caller] = ++_starts;
        _oldestRunning.TryAdd(w.Caller, now);
        return now;
    }

    public void Dispose()
    {
        List<Waiter> left;
        lock (_lock)
        {
            left = [.. _waiting];
            _waiting.Clear();
        }
        foreach (var w in left) w.Turn.TrySetCanceled();
        foreach (var engine in _engines) engine?.Dispose();
        _heavyScheduler?.Dispose();
    }

    private sealed class Waiter(string caller, int lane)
    {
        public string Caller { get; } = caller;

        public int Lane { get; } = lane;

        public TaskCompletionSource<long> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
