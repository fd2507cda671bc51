namespace QaAnalytics.Service.Queries;

/// <summary>
/// At most so many queries run on DuckDB at once (default: one per core); the rest wait their turn.
/// DuckDB already uses every core for one query, so running more at once only makes them all
/// slower and the slowest much slower; queueing keeps the tail of the latency close to the middle.
/// Cached answers do not pass through the gate.
/// <para>
/// Turns are fair between callers: one caller runs at most <c>perCaller</c> queries at once, and a
/// freed slot goes to the waiting caller with the fewest queries running, then to the one whose
/// last query started longest ago, so a caller sending many (or costly) requests waits behind
/// everyone else rather than in front. Every query gets a deadline: past it, its token is
/// cancelled (which interrupts DuckDB) and the call fails with <see cref="QueryTimeoutException"/>.
/// </para>
/// </summary>
public sealed class QueryGate(int slots, int perCaller = int.MaxValue, TimeSpan? timeout = null) : IDisposable
{
    private readonly object _lock = new();
    private readonly int _slots = Math.Max(1, slots);
    private readonly int _perCaller = Math.Max(1, perCaller);
    private readonly Dictionary<string, int> _runningBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastStart = new(StringComparer.Ordinal);
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
        await EnterAsync(caller, ct);
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
            Leave(caller);
        }
    }

    private Task EnterAsync(string caller, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_running < _slots && Running(caller) < _perCaller && !_waiting.Any(Eligible))
            {
                Start(caller);
                return Task.CompletedTask;
            }
            waiter = new Waiter(caller);
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

    private void Leave(string caller)
    {
        var started = new List<Waiter>();
        lock (_lock)
        {
            _running--;
            if (--_runningBy[caller] == 0) _runningBy.Remove(caller);
            while (_running < _slots && Next() is { } next)
            {
                _waiting.Remove(next);
                Start(next.Caller);
                started.Add(next);
            }
        }
        foreach (var waiter in started)
        {
            waiter.Registration.Dispose();
            waiter.Turn.TrySetResult();
        }
    }

    /// <summary>The eligible waiter whose caller has the fewest queries running, then started longest ago, then asked first.</summary>
    private Waiter? Next()
    {
        Waiter? best = null;
        foreach (var w in _waiting.Where(Eligible))
        {
            if (best is null || (Running(w.Caller), LastStart(w.Caller)).CompareTo((Running(best.Caller), LastStart(best.Caller))) < 0) best = w;
        }
        return best;
    }

    private bool Eligible(Waiter w) => Running(w.Caller) < _perCaller;

    private int Running(string caller) => _runningBy.GetValueOrDefault(caller);

    private long LastStart(string caller) => _lastStart.GetValueOrDefault(caller);

    private void Start(string caller)
    {
        _running++;
        _runningBy[caller] = Running(caller) + 1;
        _lastStart[caller] = ++_starts;
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

        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

/// <summary>A query ran past its deadline and was interrupted (mapped to DeadlineExceeded at the edge).</summary>
public sealed class QueryTimeoutException(TimeSpan timeout, Exception inner)
    : Exception($"The query ran longer than {timeout.TotalSeconds:0.#} s (QaAnalytics:QueryTimeoutSeconds) and was stopped; ask for less (a shorter period, fewer dimensions) or a coarser grain.", inner);
