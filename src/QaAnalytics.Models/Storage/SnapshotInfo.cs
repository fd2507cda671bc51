using DuckDB.NET.Data;

namespace QaAnalytics.Models.Storage;

/// <summary>The one row of <c>snapshot_info</c>: which run published the snapshot, under which schema version, when, and with which pseudonym key.</summary>
public sealed record SnapshotInfo(string SnapshotId, int SchemaVersion, DateTime CreatedAt, string PseudonymKey)
{
    /// <summary>
    /// Reads <c>snapshot_info</c> of an open snapshot and checks its schema version; null when the
    /// table has no row (a snapshot still being built).
    /// </summary>
    /// <exception cref="SnapshotSchemaException">The snapshot is of another schema version.</exception>
    public static SnapshotInfo? Read(DuckDBConnection connection, string file)
    {
        using var cmd = connection.Command("SELECT snapshot_id, schema_version, created_at, pseudonym_key FROM snapshot_info");
        using var reader = cmd.ExecuteReader();
        if (!reader.Read()) return null;
        var info = new SnapshotInfo(reader.GetString(0), reader.GetInt32(1), reader.GetDateTime(2), reader.GetString(3));
        SnapshotSchema.Verify(file, info.SchemaVersion);
        return info;
    }
}
