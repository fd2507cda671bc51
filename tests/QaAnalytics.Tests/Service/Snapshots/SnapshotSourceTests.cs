using Microsoft.Extensions.Options;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service;
using QaAnalytics.Service.Snapshots;
using QaAnalytics.Tests.Models.Storage;

namespace QaAnalytics.Tests.Service.Snapshots;

/// <summary>The service's snapshot source refuses what the storage contract refuses, and keeps no connection to a refused snapshot.</summary>
public sealed class SnapshotSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qa-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static SnapshotSource Source(string path) => new(Options.Create(new ServiceOptions { DatabasePath = path }));

    [Fact]
    public void Current_SnapshotOfAnotherSchemaVersion_IsRefusedNamingBothVersions_AndNotHeldOpen()
    {
        var file = SnapshotContractTests.WriteSnapshot(Path.Combine(_folder, "qa.duckdb"), SnapshotSchema.Version + 1);
        using var source = Source(file);

        var ex = Assert.Throws<SnapshotSchemaException>(source.Current);

        Assert.Contains($"schema version {SnapshotSchema.Version + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {SnapshotSchema.Version}:", ex.Message, StringComparison.Ordinal);
        SnapshotContractTests.AssertClosed(file);
    }

    [Fact]
    public void Current_ReadingSnapshotInfoFails_TheAnchorConnectionIsDisposed()
    {
        var file = SnapshotContractTests.WriteSnapshot(Path.Combine(_folder, "qa.duckdb"), 0, info: false);
        using var source = Source(file);

        Assert.ThrowsAny<Exception>(source.Current);

        SnapshotContractTests.AssertClosed(file);
    }

    [Fact]
    public void Current_GoodSnapshot_IsServedAndItsIdRead()
    {
        var file = SnapshotContractTests.WriteSnapshot(Path.Combine(_folder, "qa.duckdb"), SnapshotSchema.Version);
        using var source = Source(file);

        var snapshot = source.Current();

        Assert.Equal(("run-1", file), (snapshot.Id, snapshot.File));
        Assert.Same(snapshot, source.Current());
    }

    [Fact]
    public void Current_NothingPublished_IsRefusedAsNoSnapshot()
    {
        using var source = Source(Path.Combine(_folder, "missing.duckdb"));

        var ex = Assert.Throws<SnapshotException>(source.Current);

        Assert.Contains("No published QaAnalytics database", ex.Message, StringComparison.Ordinal);
    }
}
