using System.Collections.Concurrent;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

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
    private string? _snapshotId;
    private long _bytes;

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
