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
        using var dir = new TempFolder("qa-limit-");
        using var db = new DuckDBConnection($"Data Source={Path.Combine(dir.Path, "t.duckdb")}");
        db.Open();
        var defaultFlush = Setting(db, "allocator_flush_threshold");
        DuckDbArrow.LimitMemory(db, 256);
        Assert.Equal("256.0 MiB", Setting(db, "memory_limit"));
        Assert.Contains("qa-duckdb", Setting(db, "temp_directory"), StringComparison.Ordinal);
        // A big query's memory is kept for the next one, not handed back after each (DuckDB's default: 128 MiB).
        Assert.Equal("4.0 GiB", Setting(db, "allocator_flush_threshold"));
        Assert.NotEqual(defaultFlush, Setting(db, "allocator_flush_threshold"));
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

    [Fact]
    public async Task LimitMemory_GivesEachInstanceOfAFileItsOwnSpillFolder_SoTwoSpillingAtOnceBothAnswer()
    {
        // The query lanes open one snapshot as separate DuckDB instances under different spellings.
        // DuckDB names its spill files by block size only, so two instances spilling into one folder
        // at once fail each other's reads ("Corrupt temporary file"); each must have its own.
        using var dir = new TempFolder("qa-spill-");
        var file = Path.Combine(dir.Path, "t.duckdb");
        using (var create = new DuckDBConnection($"Data Source={file}"))
        {
            create.Open();
            using var cmd = create.CreateCommand();
            cmd.CommandText = "CREATE TABLE t AS SELECT 1 AS a";
            cmd.ExecuteNonQuery();
        }
        string[] spellings = [file, Path.Combine(dir.Path, ".", "t.duckdb")];
        var answers = await Task.WhenAll(spellings.Select(path => Task.Run(() =>
        {
            using var db = new DuckDBConnection($"Data Source={path};ACCESS_MODE=READ_ONLY;threads=1");
            db.Open();
            DuckDbArrow.LimitMemory(db, 100);
            var folder = Setting(db, "temp_directory");
            using var cmd = db.CreateCommand();
            // A sort of 16 million rows with their keys as text: several times the 100 MB limit.
            cmd.CommandText = """
                SELECT count(*), sum(k), sum(rn) FROM (
                    SELECT k, row_number() OVER (ORDER BY h) AS rn
                    FROM (SELECT i AS k, hash(i) AS h, CAST(i AS VARCHAR) AS pad FROM range(16000000) t(i)))
                """;
            using var reader = cmd.ExecuteReader();
            reader.Read();
            return (Folder: folder, Answer: $"{reader.GetValue(0)} {reader.GetValue(1)} {reader.GetValue(2)}");
        })));
        Assert.All(answers, a => Assert.StartsWith(Path.Combine(DuckDbArrow.SpillRoot, $"{Environment.ProcessId}-"), a.Folder, StringComparison.Ordinal));
        Assert.NotEqual(answers[0].Folder, answers[1].Folder);
        // Sixteen million rows, keys 0 … 15,999,999, numbered 1 … 16,000,000 in the sorted order.
        var expected = $"16000000 {15_999_999L * 16_000_000 / 2} {16_000_000L * 16_000_001 / 2}";
        Assert.All(answers, a => Assert.Equal(expected, a.Answer));
    }

    [Fact]
    public void LimitMemory_RemovesTheEmptySpillFolderOfASnapshotThatIsGone()
    {
        using var dir = new TempFolder("qa-retire-");
        string Folder(string name)
        {
            using var db = new DuckDBConnection($"Data Source={Path.Combine(dir.Path, name)}");
            db.Open();
            DuckDbArrow.LimitMemory(db, 256);
            return Setting(db, "temp_directory");
        }
        var retired = Folder("old.duckdb");
        Assert.True(Directory.Exists(retired));
        File.Delete(Path.Combine(dir.Path, "old.duckdb"));  // a snapshot past the number kept
        var current = Folder("new.duckdb");
        Assert.False(Directory.Exists(retired));
        Assert.True(Directory.Exists(current));
    }

    [Fact]
    public async Task AQueryOverTheMemoryBudget_FailsAsMemoryBudgetExceeded_NamingTheSettingAndHowToNarrow()
    {
        // Grouping text into lists cannot spill far enough: 2.5 million groups of their numbers as text need
        // more than DuckDB's least memory budget the service accepts (64 MiB).
        using var dir = new TempFolder("qa-budget-");
        using var db = new DuckDBConnection($"Data Source={Path.Combine(dir.Path, "t.duckdb")}");
        db.Open();
        DuckDbArrow.LimitMemory(db, 64);
        const string Sql = "SELECT k, string_agg(CAST(i AS VARCHAR), ',') AS s FROM (SELECT i, i % 2500000 AS k FROM range(10000000) t(i)) GROUP BY k";
        var ex = await Assert.ThrowsAsync<QaAnalytics.Service.Errors.MemoryBudgetException>(async () =>
        {
            using var reader = DuckDbArrow.Open(db, Sql, new Dictionary<string, object?>(), CancellationToken.None);
            while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
        });
        Assert.Contains("QaAnalytics:DuckDbMemoryMegabytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(QaAnalytics:DuckDbMemoryMegabytes, 64.0 MiB)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Narrow the query", ex.Message, StringComparison.Ordinal);
        var edge = QaAnalytics.Service.Errors.EdgeErrors.Of(ex)!;
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, edge.Grpc);
        Assert.Equal(422, edge.Http);
        // The instance still answers: the budget failed one query, not DuckDB.
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT 42";
        Assert.Equal(42, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SweepSpillFolders_RemovesTheFoldersOfProcessesThatEnded_AndEmptyOldOnes_AndLeavesTheRest()
    {
        using var root = new TempFolder("qa-sweep-");
        int ended;
        using (var process = System.Diagnostics.Process.Start("true")!)
        {
            process.WaitForExit();
            ended = process.Id;
        }
        var gone = Directory.CreateDirectory(Path.Combine(root.Path, $"{ended}-0123456789abcdef"));
        File.WriteAllText(Path.Combine(gone.FullName, "duckdb_temp_storage_S32K-0.tmp"), "left by a killed run");
        var live = Directory.CreateDirectory(Path.Combine(root.Path, $"{Environment.ProcessId}-0123456789abcdef"));
        // The naming used before (16 hex digits, the file alone): removed when empty, kept while it holds spill files.
        var legacyEmpty = Directory.CreateDirectory(Path.Combine(root.Path, "0123456789ABCDEF"));
        var legacyInUse = Directory.CreateDirectory(Path.Combine(root.Path, "FEDCBA9876543210"));
        File.WriteAllText(Path.Combine(legacyInUse.FullName, "duckdb_temp_storage_S32K-0.tmp"), "in use");
        var other = Directory.CreateDirectory(Path.Combine(root.Path, "notes"));  // named otherwise: never touched

        Assert.Equal(2, DuckDbArrow.SweepSpillFolders(root.Path));
        Assert.False(Directory.Exists(gone.FullName));
        Assert.False(Directory.Exists(legacyEmpty.FullName));
        Assert.True(Directory.Exists(live.FullName));
        Assert.True(File.Exists(Path.Combine(legacyInUse.FullName, "duckdb_temp_storage_S32K-0.tmp")));
        Assert.True(Directory.Exists(other.FullName));
        Assert.Equal(0, DuckDbArrow.SweepSpillFolders(Path.Combine(root.Path, "missing")));
    }

    private static string Setting(DuckDBConnection db, string name)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT current_setting('{name}')";
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>A folder of the test's own under the system temp path, deleted with what is in it.</summary>
    private sealed class TempFolder(string prefix) : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
