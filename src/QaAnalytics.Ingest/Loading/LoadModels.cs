namespace QaAnalytics.Ingest.Loading;

/// <summary>What to load and where.</summary>
/// <param name="DbPath">The stable database path readers open (a link to the newest snapshot).</param>
/// <param name="FromDir">Folder holding the input files (see docs/data-contract.md).</param>
/// <param name="LaCode">Council code for files that lack an la_code column (an SSD ssd_department extract).</param>
/// <param name="Force">Load files even when an identical file (same SHA-256) was loaded before.</param>
/// <param name="Keep">Published snapshots to keep on disk.</param>
public sealed record LoadRequest(string DbPath, string FromDir, string? LaCode = null, bool Force = false, int Keep = 3);

/// <summary>The outcome for one input file.</summary>
public sealed record FileReport(
    string FileName,
    string Kind,
    string? Sha256,
    string? Encoding,
    long RowsRead,
    long RowsAccepted,
    long RowsRejected,
    long RowsNew,
    long RowsReplaced,
    string Status,
    string? Message);

/// <summary>
/// The outcome of a load. <see cref="Failed"/> runs published no data change; a run in which
/// <see cref="NothingChanged"/> published nothing (<see cref="SnapshotPath"/> is the current snapshot).
/// </summary>
public sealed record LoadReport(
    string RunId,
    bool Failed,
    string? Error,
    IReadOnlyList<FileReport> Files,
    IReadOnlyList<string> IgnoredFiles,
    string? SnapshotPath,
    bool DemoKey,
    TimeSpan Elapsed)
{
    public long RowsRead => Files.Sum(f => f.RowsRead);

    public long RowsAccepted => Files.Sum(f => f.RowsAccepted);

    public long RowsRejected => Files.Sum(f => f.RowsRejected);

    /// <summary>Every file was identical to one loaded before (and <c>--force</c> was not given): no new snapshot.</summary>
    public bool NothingChanged => !Failed && Files.Count > 0 && Files.All(f => f.Status == FileStatus.Unchanged);
}

/// <summary>Progress of a load, one step per file phase.</summary>
public sealed record LoadProgress(string FileName, string Phase, int FileIndex, int FileCount);

/// <summary>Status values in <c>ingest_runs.status</c>.</summary>
public static class FileStatus
{
    public const string Loaded = "loaded";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
    public const string NotLoaded = "not loaded";
}
