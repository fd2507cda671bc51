using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Tests.Service.Arrow;

public sealed class DuckDbArrowTests
{
    [Fact]
    public async Task QueryAsync_CoalescesDuckDbsSmallBatches_AndChunksTheStream()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var result = await DuckDbArrow.QueryAsync(db, "SELECT range AS i, 'row ' || range AS label FROM range(150000) ORDER BY i",
            new Dictionary<string, object?>(), ["note"], CancellationToken.None);

        Assert.Equal(150_000, result.RowCount);
        Assert.All(result.Chunks, c => Assert.True(c.Length <= ArrowResult.ChunkBytes));
        using var bytes = new MemoryStream(result.Chunks.SelectMany(c => c.ToArray()).ToArray());
        using var reader = new ArrowStreamReader(bytes);
        var batches = new List<int>();
        long sum = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                batches.Add(batch.Length);
                var column = (Apache.Arrow.Int64Array)batch.Column(0);
                for (var i = 0; i < batch.Length; i++) sum += column.GetValue(i)!.Value;
            }
        }
        Assert.Equal(3, batches.Count);  // 65,536 + 65,536 + 18,928 rather than ~74 batches of 2,048
        Assert.Equal(150_000L * 149_999 / 2, sum);
    }
}
