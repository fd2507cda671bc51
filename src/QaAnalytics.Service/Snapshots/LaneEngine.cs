using DuckDB.NET.Data;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Service.Snapshots;

/// <summary>
/// A query lane's own DuckDB instance: the same snapshot file opened read-only again, with its own
/// thread count (the heavy lane's few threads for costly plans; optionally a set count for small
/// plans). DuckDB's thread count is a setting of the instance, not of a query, so on a single
/// instance one costly query takes every thread and a small query waits for them; on its own
/// instance it can take no more than it was given. The query gate sets <see cref="Current"/> for
/// the queries of a lane that has one, and <see cref="SnapshotSource.Open(Snapshot)"/> opens their
/// connections here.
/// </summary>
public sealed class LaneEngine(int threads, int lane) : IDisposable
{
    private static readonly AsyncLocal<LaneEngine?> Ambient = new();
    private readonly Lock _lock = new();

    // Keeps this instance open between queries (a cold instance would read the catalogue and
    // every column again); replaced when a new snapshot is published.
    private (string File, DuckDBConnection Connection)? _anchor;

    /// <summary>The lane engine the current query runs on, or null for the shared instance (set by the query gate).</summary>
    public static LaneEngine? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Threads the instance runs a query on.</summary>
    public int Threads { get; } = Math.Max(1, threads);

    /// <summary>A read-only connection to <paramref name="file"/> on this lane's instance.</summary>
    public DuckDBConnection Open(string file)
    {
        var instance = InstancePath(file);
        lock (_lock)
        {
            if (_anchor?.File != file)
            {
                var previous = _anchor?.Connection;
                _anchor = (file, SnapshotDatabase.OpenReadOnly(instance, Threads));
                previous?.Dispose();
            }
        }
        return SnapshotDatabase.OpenReadOnly(instance, Threads);
    }

    /// <summary>
    /// The name this lane's instance opens <paramref name="file"/> by: the same file with
    /// <c>lane</c> + 1 "./" segments (<c>dir/./qa.duckdb</c>, <c>dir/././qa.duckdb</c>), another
    /// DuckDB.NET instance for each lane.
    /// </summary>
    public string InstancePath(string file) =>
        Path.Combine([Path.GetDirectoryName(file) ?? ".", .. Enumerable.Repeat(".", Math.Max(0, lane) + 1), Path.GetFileName(file)]);

    public void Dispose()
    {
        lock (_lock)
        {
            _anchor?.Connection.Dispose();
            _anchor = null;
        }
    }
}
