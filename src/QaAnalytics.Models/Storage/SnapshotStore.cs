namespace QaAnalytics.Models.Storage;

/// <summary>
/// Published snapshots behind a stable path. <c>PATH</c> is a symbolic link to
/// <c>PATH.snapshots/&lt;run&gt;.duckdb</c>; a load builds the next snapshot as a <c>.partial</c>
/// copy, and publishing renames a fresh link over <c>PATH</c> (rename(2) is atomic), so a reader
/// that opens <c>PATH</c> gets either the old snapshot or the new one, never a half-load. Readers
/// that already hold a snapshot open keep it: pruning unlinks the file, and an open file lives on
/// until its last reader closes it.
/// </summary>
public sealed class SnapshotStore
{
    public SnapshotStore(string dbPath, int keep = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        DbPath = Path.GetFullPath(dbPath);
        SnapshotDir = DbPath + ".snapshots";
        Keep = keep;
    }

    public string DbPath { get; }

    /// <summary>A run id that sorts by time: "20261125T202450036Z-afea1e" (also the name of the snapshot it publishes).</summary>
    public static string NewRunId(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    public string SnapshotDir { get; }

    /// <summary>Published snapshots kept on disk, newest first; older ones are deleted after a publish.</summary>
    public int Keep { get; }

    /// <summary>The snapshot file <see cref="DbPath"/> points at, or null before the first load.</summary>
    /// <exception cref="SnapshotException">The path is an ordinary file, or a link to a missing snapshot.</exception>
    public string? Current()
    {
        var current = SnapshotLink.Resolve(DbPath);
        if (current is not null && !SnapshotLink.IsLink(DbPath))
        {
            // Publishing would replace that file with a link: someone's database, not a snapshot of ours.
            throw new SnapshotException(DbPath,
                $"{Path.GetFileName(DbPath)}: this path is an ordinary database file, not a QaAnalytics snapshot link; move it away or choose another --db");
        }
        return current;
    }

    /// <summary>Takes the single-writer lock; a second load waits for nobody and fails at once.</summary>
    public IDisposable AcquireWriterLock()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        try
        {
            return new FileStream(DbPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new LoadLockedException($"Another load into {DbPath} is running; wait for it to finish, then run this one again.");
        }
    }

    /// <summary>Starts the next snapshot as a copy of the current one (or empty), removing leftovers of killed runs.</summary>
    public string Begin(string runId)
    {
        Directory.CreateDirectory(SnapshotDir);
        foreach (var orphan in Directory.EnumerateFiles(SnapshotDir, "*.partial*")) File.Delete(orphan);
        var partial = Path.Combine(SnapshotDir, runId + ".duckdb.partial");
        var current = Current();
        if (current is not null) File.Copy(current, partial, overwrite: true);
        return partial;
    }

    /// <summary>Makes <paramref name="partial"/> the published snapshot and prunes old ones.</summary>
    public string Publish(string partial)
    {
        if (File.Exists(partial + ".wal"))
        {
            throw new InvalidOperationException("The new snapshot was not checkpointed (a write-ahead log remains); it is not published.");
        }
        var final = partial[..^".partial".Length];
        File.Move(partial, final, overwrite: false);
        var link = DbPath + ".link-" + Guid.NewGuid().ToString("N");
        File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetDirectoryName(DbPath)!, final));
        File.Move(link, DbPath, overwrite: true);
        Prune(final);
        return final;
    }

    /// <summary>Drops a snapshot that will not be published.</summary>
    public static void Discard(string partial)
    {
        foreach (var file in new[] { partial, partial + ".wal" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    private void Prune(string published)
    {
        var old = new DirectoryInfo(SnapshotDir).EnumerateFiles("*.duckdb")
            .Where(f => f.FullName != published)
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(Keep - 1);
        foreach (var file in old)
        {
            try { file.Delete(); }
            catch (IOException) { /* still held elsewhere (not on Linux); the next publish retries */ }
        }
    }
}
