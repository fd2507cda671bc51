using System.Collections.Concurrent;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Caching;

/// <summary>
/// Results by request, for the current snapshot only: a repeated dashboard call is answered from
/// memory, and the first call after ingest publishes a new snapshot empties the cache. Bounded in
/// bytes (a result over a quarter of the budget is not kept); when full it starts again rather
/// than tracking use.
/// </summary>
public sealed class ResultCache(long capacityBytes = 512L << 20)
{
    private readonly Lock _gate = new();
    private ConcurrentDictionary<string, IReadOnlyList<TableResult>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<TableResult>>> _inFlight = new(StringComparer.Ordinal);
    private string? _snapshotId;
    private long _bytes;

    /// <summary>
    /// The cached answer, or one computation shared by every identical call that arrives while it
    /// runs (so 64 dashboards opening at once compute a figure once, not 64 times). If the call
    /// computing it gives up (deadline, cancellation), the others still waiting compute it afresh;
    /// any other failure (a bad argument, say) is every waiter's answer.
    /// </summary>
    public async Task<IReadOnlyList<TableResult>> GetOrComputeAsync(Snapshot snapshot, string key,
        Func<CancellationToken, Task<IReadOnlyList<TableResult>>> compute, CancellationToken ct)
    {
        var flightKey = snapshot.Id + "\u001e" + key;
        while (true)
        {
            if (TryGet(snapshot, key, out var cached)) return cached;
            var mine = new TaskCompletionSource<IReadOnlyList<TableResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var flight = _inFlight.GetOrAdd(flightKey, mine.Task);
            if (flight != mine.Task)
            {
                try
                {
                    return await flight.WaitAsync(ct);
                }
                catch (OperationCanceledException) when (flight.IsCanceled && !ct.IsCancellationRequested)
                {
                    continue;  // the computing call gave up; this one has not
                }
            }
            try
            {
                var tables = await compute(ct);
                Set(key, tables);
                mine.SetResult(tables);
                return tables;
            }
            catch (Exception ex)
            {
                if (ct.IsCancellationRequested) mine.SetCanceled(ct);
                else mine.SetException(ex);
                _ = mine.Task.Exception;  // observed here: a failure nobody waited for is not an unobserved-task error
                throw;
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task<IReadOnlyList<TableResult>>>(flightKey, mine.Task));
            }
        }
    }

    public bool TryGet(Snapshot snapshot, string key, out IReadOnlyList<TableResult> tables)
    {
        tables = [];
        lock (_gate)
        {
            if (_snapshotId != snapshot.Id) return false;
        }
        return _entries.TryGetValue(key, out tables!);
    }

    public void Set(string key, IReadOnlyList<TableResult> tables)
    {
        if (tables.Count == 0) return;
        var size = tables.Sum(t => t.Result.Bytes);
        if (size > capacityBytes / 4) return;
        var snapshotId = tables[0].Snapshot.Id;
        lock (_gate)
        {
            if (_snapshotId != snapshotId || _bytes + size > capacityBytes)
            {
                _entries = new ConcurrentDictionary<string, IReadOnlyList<TableResult>>(StringComparer.Ordinal);
                _snapshotId = snapshotId;
                _bytes = 0;
            }
            if (_entries.TryAdd(key, tables)) _bytes += size;
        }
    }
}
