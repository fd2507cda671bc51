namespace QaAnalytics.Models.Storage;

/// <summary>
/// The version of the snapshot's tables (<c>src/QaAnalytics.Ingest/Sql/schema.sql</c>), written to
/// <c>snapshot_info.schema_version</c> by every load and checked by every reader: a snapshot of
/// another version is refused, naming both versions, rather than read wrongly.
/// </summary>
public static class SnapshotSchema
{
    /// <summary>The schema version this build writes and reads. Raise it when a table changes shape.</summary>
    public const int Version = 1;

    /// <summary>Throws <see cref="SnapshotSchemaException"/> unless <paramref name="found"/> is <see cref="Version"/>.</summary>
    public static void Verify(string file, int found)
    {
        if (found != Version) throw new SnapshotSchemaException(file, found, Version);
    }
}
