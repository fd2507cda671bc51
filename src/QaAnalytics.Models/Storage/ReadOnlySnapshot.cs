using DuckDB.NET.Data;

namespace QaAnalytics.Models.Storage;

/// <summary>
/// A published snapshot opened read-only, its schema version checked: what every reader (the
/// service, the CLI's status, rejects, export and model commands, the notebooks) opens.
/// </summary>
public sealed class ReadOnlySnapshot : IDisposable
{
    private ReadOnlySnapshot(DuckDBConnection connection, string file, SnapshotInfo? info) =>
        (Connection, File, Info) = (connection, file, info);

    public DuckDBConnection Connection { get; }

    /// <summary>The snapshot file the path led to (the link's target).</summary>
    public string File { get; }

    /// <summary>The snapshot's <c>snapshot_info</c> row; null for a snapshot without one.</summary>
    public SnapshotInfo? Info { get; }

    /// <summary>The run that published the snapshot, or the file's name when it records none.</summary>
    public string Id => Info?.SnapshotId ?? Path.GetFileNameWithoutExtension(File);

    /// <summary>Resolves <paramref name="path"/>, opens the snapshot read-only and checks its schema version.</summary>
    /// <exception cref="SnapshotException">Nothing is published there, or the snapshot is of another schema version.</exception>
    public static ReadOnlySnapshot Open(string path)
    {
        var file = SnapshotLink.Published(path);
        var connection = SnapshotDatabase.OpenReadOnly(file);
        try
        {
            return new ReadOnlySnapshot(connection, file, SnapshotInfo.Read(connection, file));
        }
        catch
        {
            // A refused snapshot must not stay open: DuckDB keeps the file's database alive while any connection holds it.
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => Connection.Dispose();
}
