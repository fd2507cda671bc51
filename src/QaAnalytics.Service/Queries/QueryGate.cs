namespace QaAnalytics.Service.Queries;

/// <summary>
/// At most so many queries run on DuckDB at once (default: one per core); the rest wait their turn.
/// DuckDB already uses every core for one query, so running more at once only makes them all
/// slower and the slowest much slower; queueing keeps the tail of the latency close to the middle.
/// Cached answers do not pass through the gate.
/// <para>
/// Turns are fair between callers: one caller runs at most <c>perCaller</c> queries at once, and a
/// freed slot goes to a light caller before a heavy one, then to the caller with the fewest queries
/// running, then to the one whose last query started longest ago, so a caller sending many (or
/// costly) requests waits behind everyone else rather than in front. A caller is heavy while its
/// queries take <c>heavy</c> or more on average (a moving average of its last few), or one of them
/// has been running that long. While a light caller has asked in the last <see cref="LightMemory"/>,
/// heavy callers together never hold the last slot, which stays free for light ones: a small call
/// never queues behind costly ones, it only shares the cores with them. With no light caller about,
/// heavy ones may use every slot. Every query gets a deadline: past it, its
/// token is cancelled (which interrupts DuckDB) and the call fails with <see cref="QueryTimeoutException"/>.
/// </para>
/// </summary>
public sealed class QueryGate(int slots, int perCaller = int.MaxValue, TimeSpan? timeout = null, TimeSpan? heavy = null) : IDisposable
{
    private readonly object _lock = new();
    private readonly int _slots = Math.Max(1, slots);
    private readonly int _perCaller = Math.Max(1, perCaller);
    private readonly Dictionary<string, int> _runningBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastStart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _averageMs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _oldestRunning = new(StringComparer.Ordinal);  // Stopwatch timestamp of the caller's longest-running query
    private long _lastLight;                                                                    // Stopwatch timestamp a light caller last asked

    /// <summary>How long the last slot is kept for light callers after one last asked.</summary>
    public static readonly TimeSpan LightMemory = TimeSpan.FromSeconds(10);
    private readonly List<Waiter> _waiting = [];
    private int _running;
    private long _starts;

    /// <summary>The deadline of one query (null: none).</summary>
    public TimeSpan? Timeout => timeout;

    /// <summary>Runs a query for an anonymous caller (every such call shares one turn).</summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken ct) => RunAsync("", query, ct);

    /// <summary>Runs <paramref name="query"/> when <paramref name="caller"/> gets a slot, with the deadline.</summary>
    public async Task<T> RunAsync<T>(string caller, Func<CancellationToken, Task<T>> query, CancellationToken ct)
    {
        var started = await EnterAsync(caller, ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (timeout is { } t) deadline.CancelAfter(t);
            try
            {
                return await query(deadline.Token);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new QueryTimeoutException(timeout!.Value, ex);
            }
        }
        finally
        {
            Leave(caller, started, clock.Elapsed);
        }
    }

    /// <summary>Waits for a slot; the Stopwatch timestamp the query started at.</summary>
    private Task<long> EnterAsync(string caller, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            waiter = new Waiter(caller);
            if (!IsHeavy(caller)) _lastLight = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_running < _slots && Eligible(waiter) && !_waiting.Any(Eligible))
            {
                return Task.FromResult(Start(caller));
            }
            _waiting.Add(waiter);
        }
        waiter.Registration = ct.Register(() =>
        {
            lock (_lock)
            {
                if (!_waiting.Remove(waiter)) return;
            }
            waiter.Turn.TrySetCanceled(ct);
        });
        return waiter.Turn.Task;
    }

    private void Leave(string caller, long startedAt, TimeSpan took)
    {
        var started = new List<(Waiter Waiter, long At)>();
        lock (_lock)
        {
            _running--;
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
            while (_running < _slots && Next() is { } next)
            {
                _waiting.Remove(next);
                started.Add((next, Start(next.Caller)));
            }
        }
        foreach (var (waiter, at) in started)
        {
            waiter.Registration.Dispose();
            waiter.Turn.TrySetResult(at);
        }
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

    /// <summary>Under its own limit, and, for a heavy caller, not taking the last slot (unless there is only one).</summary>
    private bool Eligible(Waiter w) =>
        Running(w.Caller) < _perCaller && (!IsHeavy(w.Caller) || _slots == 1 || HeavyRunning() < _slots - 1
            || _lastLight == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(_lastLight) > LightMemory);

    private int HeavyRunning() => _runningBy.Where(r => IsHeavy(r.Key)).Sum(r => r.Value);

    private bool IsHeavy(string caller) => heavy is { } h
        && ((_averageMs.TryGetValue(caller, out var ms) && ms >= h.TotalMilliseconds)
            || (_oldestRunning.TryGetValue(caller, out var since) && System.Diagnostics.Stopwatch.GetElapsedTime(since) >= h));

    private int Running(string caller) => _runningBy.GetValueOrDefault(caller);

    private long LastStart(string caller) => _lastStart.GetValueOrDefault(caller);

    private long Start(string caller)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _running++;
        _runningBy[caller] = Running(caller) + 1;
        _lastStart[caller] = ++_starts;
        _oldestRunning.TryAdd(caller, now);
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
    }

    private sealed class Waiter(string caller)
    {
        public string Caller { get; } = caller;

        public TaskCompletionSource<long> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

/// <summary>A query ran past its deadline and was interrupted (mapped to DeadlineExceeded at the edge).</summary>
public sealed class QueryTimeoutException(TimeSpan timeout, Exception inner)
    : Exception($"The query ran longer than {timeout.TotalSeconds:0.#} s (QaAnalytics:QueryTimeoutSeconds) and was stopped; ask for less (a shorter period, fewer dimensions) or a coarser grain.", inner);
