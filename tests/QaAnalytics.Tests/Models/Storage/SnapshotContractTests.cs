using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Models.Storage;

/// <summary>The storage contract on real DuckDB files: link resolution, the schema version check, and no connection left open by a refusal.</summary>
public sealed class SnapshotContractTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qa-storage-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A snapshot file holding only <c>snapshot_info</c> (and, with <paramref name="info"/> false, not even that).</summary>
    internal static string WriteSnapshot(string path, int schemaVersion, bool info = true)
    {
        using var connection = SnapshotDatabase.OpenWritable(path);
        if (!info) return path;
        connection.Execute("CREATE TABLE snapshot_info (snapshot_id VARCHAR, schema_version INTEGER, created_at TIMESTAMP, pseudonym_key VARCHAR)");
        connection.Execute("INSERT INTO snapshot_info VALUES ('run-1', $v, TIMESTAMP '2024-06-30 12:00:00', 'demo')", ("v", schemaVersion));
        return path;
    }

    [Fact]
    public void Open_SnapshotOfThisSchemaVersion_ReadsItsInfo()
    {
        var file = WriteSnapshot(Path.Combine(_folder, "ok.duckdb"), SnapshotSchema.Version);

        using var snapshot = ReadOnlySnapshot.Open(file);

        Assert.Equal("run-1", snapshot.Id);
        Assert.Equal(SnapshotSchema.Version, snapshot.Info!.SchemaVersion);
        Assert.Equal(new DateTime(2024, 6, 30, 12, 0, 0), snapshot.Info.CreatedAt);
    }

    [Fact]
    public void Open_SnapshotOfAnotherSchemaVersion_IsRefusedNamingBothVersions()
    {
        var other = SnapshotSchema.Version + 1;
        var file = WriteSnapshot(Path.Combine(_folder, "newer.duckdb"), other);

        var ex = Assert.Throws<SnapshotSchemaException>(() => ReadOnlySnapshot.Open(file));

        Assert.Equal((other, SnapshotSchema.Version), (ex.Found, ex.Expected));
        Assert.Contains($"schema version {other}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"reads schema version {SnapshotSchema.Version}", ex.Message, StringComparison.Ordinal);
        AssertClosed(file);
    }

    [Fact]
    public void Open_SnapshotWithoutInfoTable_FailsAndLeavesNoConnectionOpen()
    {
        var file = WriteSnapshot(Path.Combine(_folder, "bare.duckdb"), 0, info: false);

        Assert.ThrowsAny<Exception>(() => ReadOnlySnapshot.Open(file));

        AssertClosed(file);
    }

    [Fact]
    public void Resolve_LinkToAMissingSnapshot_IsRefusedNamingTheTarget()
    {
        var link = Path.Combine(_folder, "qa.duckdb");
        File.CreateSymbolicLink(link, Path.Combine("qa.duckdb.snapshots", "gone.duckdb"));

        var ex = Assert.Throws<SnapshotException>(() => SnapshotLink.Resolve(link));

        Assert.Contains("gone.duckdb, which is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NothingAtThePath_IsNullForWritersAndRefusedForReaders()
    {
        var path = Path.Combine(_folder, "none.duckdb");

        Assert.Null(SnapshotLink.Resolve(path));
        var ex = Assert.Throws<SnapshotException>(() => SnapshotLink.Published(path));
        Assert.Contains("run qa-ingest load first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreCurrent_OrdinaryFileWhereTheLinkBelongs_IsRefused()
    {
        var file = WriteSnapshot(Path.Combine(_folder, "plain.duckdb"), SnapshotSchema.Version);

        Assert.Equal(file, SnapshotLink.Published(file));
        var ex = Assert.Throws<SnapshotException>(() => new SnapshotStore(file).Current());
        Assert.Contains("ordinary database file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_BindNamedParametersAndNulls()
    {
        using var connection = SnapshotDatabase.OpenWritable(Path.Combine(_folder, "scratch.duckdb"));

        Assert.Equal(5L, connection.Scalar<long>("SELECT $a + $b", ("a", 2), ("b", 3)));
        Assert.Null(connection.Scalar<string?>("SELECT $x", ("x", null)));
        Assert.False(connection.HasTable("snapshot_info"));
        connection.Execute("CREATE TABLE snapshot_info (x INTEGER)");
        Assert.True(connection.HasTable("snapshot_info"));
    }

    /// <summary>
    /// DuckDB keeps a file's database open in the process while any connection holds it, and refuses
    /// a read-write open of a database already open read-only: so a read-write open that succeeds
    /// shows that no connection to <paramref name="file"/> was left behind.
    /// </summary>
    internal static void AssertClosed(string file)
    {
        using var writer = SnapshotDatabase.OpenWritable(file);
        writer.Execute("CREATE TABLE reopened (x INTEGER)");
    }

    [Fact]
    public void AssertClosed_DetectsAConnectionLeftOpen()
    {
        var file = WriteSnapshot(Path.Combine(_folder, "held.duckdb"), SnapshotSchema.Version);
        using var held = SnapshotDatabase.OpenReadOnly(file);

        Assert.ThrowsAny<Exception>(() => AssertClosed(file));
    }
}
