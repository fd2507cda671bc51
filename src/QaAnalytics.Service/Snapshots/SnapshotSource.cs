using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using QaAnalytics.Models.Storage;

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
    private ReadOnlySnapshot? _anchor;

    /// <summary>The snapshot the link points at now.</summary>
    /// <exception cref="SnapshotException">Nothing is published, or the snapshot is of another schema version.</exception>
    public Snapshot Current()
    {
        var target = Resolve(options.Value.DatabasePath);
        lock (_gate)
        {
            if (_current?.File == target) return _current;
        }
        // Opened, schema-checked and (when refused) disposed by the storage contract; kept open as the anchor.
        var opened = ReadOnlySnapshot.Open(target);
        var snapshot = new Snapshot(target, opened.Id, opened.Info?.CreatedAt ?? File.GetLastWriteTimeUtc(target));
        ReadOnlySnapshot? previous;
        lock (_gate)
        {
            (_current, previous, _anchor) = (snapshot, _anchor, opened);
        }
        previous?.Dispose();
        return snapshot;
    }

    public void Dispose() => _anchor?.Dispose();

    /// <summary>A read-only connection to <paramref name="snapshot"/>'s file (on the query lane's own instance when the query gate runs it on one).</summary>
    public static DuckDBConnection Open(Snapshot snapshot) => LaneEngine.Current?.Open(snapshot.File) ?? SnapshotDatabase.OpenReadOnly(snapshot.File);

    /// <summary>The file a link (or plain path) finally points at.</summary>
    public static string Resolve(string path) => SnapshotLink.Published(path);
}
