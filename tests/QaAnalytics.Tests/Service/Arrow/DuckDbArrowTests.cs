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

    [Fact]
    public void LimitMemory_SetsTheLimitAndItsSpillFolder_AppliesAChange_AndPutsBackOneChangedBehindItsBack()
    {
        var dir = Directory.CreateTempSubdirectory("qa-limit-");
        try
        {
            using var db = new DuckDBConnection($"Data Source={Path.Combine(dir.FullName, "t.duckdb")}");
            db.Open();
            DuckDbArrow.LimitMemory(db, 256);
            Assert.Equal("256.0 MiB", Setting(db, "memory_limit"));
            Assert.Contains("qa-duckdb", Setting(db, "temp_directory"), StringComparison.Ordinal);
            DuckDbArrow.LimitMemory(db, 256);  // already in place: left as it is
            Assert.Equal("256.0 MiB", Setting(db, "memory_limit"));
            DuckDbArrow.LimitMemory(db, 1024);
            Assert.Equal("1.0 GiB", Setting(db, "memory_limit"));
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText = "SET memory_limit = '2GiB'";
                cmd.ExecuteNonQuery();
            }
            DuckDbArrow.LimitMemory(db, 1024);
            Assert.Equal("1.0 GiB", Setting(db, "memory_limit"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Setting(DuckDBConnection db, string name)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT current_setting('{name}')";
        return (string)cmd.ExecuteScalar()!;
    }
}
