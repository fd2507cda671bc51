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
    private int _wanted = Math.Max(1, threads);  // threads asked for by the gate (UseThreads)
    private int _set;                             // threads the open instance runs with

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
                _set = Threads;
                previous?.Dispose();
            }
            Apply();
        }
        return SnapshotDatabase.OpenReadOnly(instance, Threads);
    }

    /// <summary>
    /// Runs the instance's queries on <paramref name="threads"/> threads from now on, the running one
    /// included (DuckDB's thread count is the instance's, and it hands out work a morsel at a time):
    /// the query gate lets the heavy lane use every core while no small call is about, and takes
    /// them back when one asks. Applied when the instance is next opened if it is not open.
    /// </summary>
    public void UseThreads(int threads)
    {
        lock (_lock)
        {
            _wanted = Math.Max(1, threads);
            Apply();
        }
    }

    private void Apply()
    {
        if (_anchor is not { } anchor || _set == _wanted) return;
        using var cmd = anchor.Connection.CreateCommand();
        cmd.CommandText = $"SET threads = {_wanted}";
        cmd.ExecuteNonQuery();
        _set = _wanted;
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
