using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Caching;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Tests.Service.Snapshots;

/// <summary>A running service picks up a newly published snapshot without a restart; repeated calls are cached per snapshot.</summary>
public sealed class SnapshotSwitchTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly SteppingTime _time = new(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _files.Dispose();

    private Task<LoadReport> Load() => new Loader(Pseudonymiser.Demo(), _time).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));

    [Fact]
    public async Task NewSnapshot_IsServedWithoutRestart_AndTheCacheFollowsIt()
    {
        HandMadeDataset.WriteAll(_files);
        var first = await Load();
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
            web.UseSetting("QaAnalytics:Auth:Mode", "Development");
            web.UseSetting("QaAnalytics:SuppressBelowOrAt", "0");
        });
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var request = new GradeDistributionRequest { Grain = TimeGrain.All };

        var before = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();
        var again = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();
        Assert.Equal(first.RunId, before.Metadata.SnapshotId);
        Assert.Equal(5L, before.Rows.Single()["audits"]);
        Assert.Equal(before.Rows.Single()["audits"], again.Rows.Single()["audits"]);

        _files.Write("audits.csv", HandMadeDataset.Audits + "\nA10,CHILD-0010,T2,W2,M2,case,2022-05-03,Good,,,,");
        var second = await Load();

        var after = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();
        Assert.Equal(second.RunId, after.Metadata.SnapshotId);
        Assert.Equal(6L, after.Rows.Single()["audits"]);
    }

    [Fact]
    public void ResultCache_KeepsOnlyTheCurrentSnapshot()
    {
        var cache = new ResultCache(capacityBytes: 1000);
        var a = new Snapshot("/a", "run-a", DateTime.UnixEpoch);
        var b = new Snapshot("/b", "run-b", DateTime.UnixEpoch);
        var result = new ArrowResult([], 0, []);
        cache.Set("k", [new TableResult("t", a, result)]);
        Assert.True(cache.TryGet(a, "k", out _));
        Assert.False(cache.TryGet(b, "k", out _));
        cache.Set("k2", [new TableResult("t", b, result)]);
        Assert.False(cache.TryGet(a, "k", out _));
        Assert.True(cache.TryGet(b, "k2", out _));
    }

    [Fact]
    public void ResultCache_IsBoundedInBytes()
    {
        var cache = new ResultCache(capacityBytes: 1000);
        var snapshot = new Snapshot("/a", "run-a", DateTime.UnixEpoch);
        TableResult Table(int bytes) => new("t", snapshot, new ArrowResult([new byte[bytes]], 1, []));
        cache.Set("big", [Table(251)]);  // over a quarter of the budget: not kept
        Assert.False(cache.TryGet(snapshot, "big", out _));
        for (var i = 0; i < 4; i++) cache.Set($"k{i}", [Table(250)]);
        Assert.True(cache.TryGet(snapshot, "k3", out _));
        cache.Set("k4", [Table(250)]);  // the budget is spent: the cache starts again
        Assert.False(cache.TryGet(snapshot, "k0", out _));
        Assert.True(cache.TryGet(snapshot, "k4", out _));
    }

    [Fact]
    public void ArrowResult_LargeStream_IsCutIntoChunksThatConcatenateToOneIpcStream()
    {
        var schema = new Apache.Arrow.Schema([new Apache.Arrow.Field("v", Apache.Arrow.Types.Int64Type.Default, false)], null);
        var values = new Apache.Arrow.Int64Array.Builder();
        for (long i = 0; i < 300_000; i++) values.Append(i);
        var result = ArrowResult.From(schema, [new Apache.Arrow.RecordBatch(schema, [values.Build()], 300_000)], []);

        Assert.True(result.Chunks.Count >= 3);
        Assert.All(result.Chunks.SkipLast(1), c => Assert.Equal(ArrowResult.ChunkBytes, c.Length));
        using var joined = new MemoryStream(result.Chunks.SelectMany(c => c.ToArray()).ToArray());
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(joined);
        long sum = 0, rows = 0;
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            var column = (Apache.Arrow.Int64Array)batch.Column(0);
            for (var i = 0; i < batch.Length; i++) sum += column.GetValue(i)!.Value;
            rows += batch.Length;
        }
        Assert.Equal((300_000L, 299_999L * 300_000 / 2), (rows, sum));
    }
}
