namespace QaAnalytics.Service.Queries;

/// <summary>
/// At most so many queries run on DuckDB at once (default: one per core); the rest wait their turn.
/// DuckDB already uses every core for one query, so running more at once only makes them all
/// slower and the slowest much slower; queueing keeps the tail of the latency close to the middle.
/// Cached answers do not pass through the gate.
/// </summary>
public sealed class QueryGate(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots));

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            return await query(ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
