namespace QaAnalytics.Models.Storage;

/// <summary>
/// Where a database path leads. A published database path is a symbolic link to
/// <c>PATH.snapshots/&lt;run&gt;.duckdb</c> (see <see cref="SnapshotStore"/>); readers also accept
/// an ordinary DuckDB file at the path (a copy taken elsewhere), writers do not.
/// </summary>
public static class SnapshotLink
{
    /// <summary>Whether <paramref name="path"/> is a symbolic link (dangling or not).</summary>
    public static bool IsLink(string path) => new FileInfo(Path.GetFullPath(path)).LinkTarget is not null;

    /// <summary>
    /// The snapshot file <paramref name="path"/> finally points at (the file itself when it is not a
    /// link), or null when nothing is there.
    /// </summary>
    /// <exception cref="SnapshotException">The path is a link to a file that is missing.</exception>
    public static string? Resolve(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (info.LinkTarget is null) return info.Exists ? info.FullName : null;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        if (target is not { Exists: true })
        {
            // Starting afresh here would silently drop every earlier load; serving nothing is honest.
            throw new SnapshotException(path,
                $"{Path.GetFileName(path)}: this link points at {info.LinkTarget}, which is missing; restore the snapshot, or delete the link to start a new database");
        }
        return target.FullName;
    }

    /// <summary>The snapshot file a reader of <paramref name="path"/> opens.</summary>
    /// <exception cref="SnapshotException">Nothing is published at the path, or the link is dangling.</exception>
    public static string Published(string path) => Resolve(path)
        ?? throw new SnapshotException(path, $"No published QaAnalytics database at {path}; run qa-ingest load first.");
}
