namespace QaAnalytics.Models.Storage;

/// <summary>
/// A snapshot that cannot be read or written as one: no database at the path, a link to a missing
/// file, an ordinary file where the snapshot link belongs, or a snapshot of another schema version.
/// Each edge maps it once (the CLI to exit 3, the service to Unavailable).
/// </summary>
public class SnapshotException(string path, string message) : IOException(message)
{
    /// <summary>The database path or snapshot file the problem is about.</summary>
    public string Path { get; } = path;
}

/// <summary>A snapshot written under another schema version than this build reads; the message names both.</summary>
public sealed class SnapshotSchemaException(string path, int found, int expected)
    : SnapshotException(path, $"{path} is a snapshot of schema version {found}, but this build reads schema version {expected}: load the extracts again with a qa-ingest of this version, or use the matching version of QaAnalytics.")
{
    public int Found { get; } = found;

    public int Expected { get; } = expected;
}

/// <summary>Another load (or model score) holds the database's writer lock.</summary>
public sealed class LoadLockedException(string message) : Exception(message);
