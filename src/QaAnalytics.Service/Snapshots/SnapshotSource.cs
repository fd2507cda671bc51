using DuckDB.NET.Data;
using Microsoft.Extensions.Options;

namespace QaAnalytics.Service.Snapshots;

/// <summary>A published snapshot: its file and the run that published it.</summary>
public sealed record Snapshot(string File, string Id, DateTime CreatedAt);

/// <summary>
/// Follows the published database link. Every call resolves the link once and opens its own
/// read-only connection to that snapshot file, so a call runs wholly on the snapshot it started
/// with, and a newly published snapshot is served from the next call on, without a restart. An
/// older snapshot file stays readable for calls still using it after ingest unlinks it.
/// </summary>
public sealed class SnapshotSource(IOptions<ServiceOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private Snapshot? _current;

    // Keeps the current snapshot's database open between calls, so a call's own connection is cheap.
    private DuckDBConnection? _anchor;

    /// <summary>The snapshot the link points at now.</summary>
    public Snapshot Current()
    {
        var target = Resolve(options.Value.DatabasePath);
        lock (_gate)
        {
            if (_current?.File == target) return _current;
        }
        var connection = Open(target);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT snapshot_id, created_at FROM snapshot_info";
        using var reader = cmd.ExecuteReader();
        var snapshot = reader.Read()
            ? new Snapshot(target, reader.GetString(0), reader.GetDateTime(1))
            : new Snapshot(target, Path.GetFileNameWithoutExtension(target), File.GetLastWriteTimeUtc(target));
        reader.Dispose();
        DuckDBConnection? previous;
        lock (_gate)
        {
            (_current, previous, _anchor) = (snapshot, _anchor, connection);
        }
        previous?.Dispose();
        return snapshot;
    }

    public void Dispose() => _anchor?.Dispose();

    /// <summary>A read-only connection to <paramref name="snapshot"/>'s file (on the query lane's own instance when the query gate runs it on one).</summary>
    public static DuckDBConnection Open(Snapshot snapshot) => LaneEngine.Current?.Open(snapshot.File) ?? Open(snapshot.File);

    private static DuckDBConnection Open(string file)
    {
        var connection = new DuckDBConnection($"Data Source={file};ACCESS_MODE=READ_ONLY");
        connection.Open();
        return connection;
    }

    /// <summary>The file a link (or plain path) finally points at.</summary>
    public static string Resolve(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true);
        if (target is not { Exists: true })
        {
            throw new FileNotFoundException($"No published QaAnalytics database at {path}; run qa-ingest load first.", path);
        }
        return target.FullName;
    }
}
