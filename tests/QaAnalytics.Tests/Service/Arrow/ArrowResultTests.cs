using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Tests.Service.Arrow;

/// <summary>Issue 13 §3: a result over <see cref="ArrowResult.SpillBytes"/> is not held in memory, and reads back as the same IPC stream.</summary>
public sealed class ArrowResultTests
{
    /// <summary>A result of one Int64 column holding 0 … <paramref name="rows"/> − 1.</summary>
    private static ArrowResult Numbers(int rows)
    {
        var schema = new Schema([new Field("n", Int64Type.Default, false)], null);
        var values = new Int64Array.Builder().Reserve(rows);
        for (long i = 0; i < rows; i++) values.Append(i);
        return ArrowResult.From(schema, [new RecordBatch(schema, [values.Build()], rows)], []);
    }

    /// <summary>
    /// Full chunks read while the result is written (as a Query sent while computing reads them), on
    /// another thread, then the rest from the finished result, give the result's bytes exactly: across
    /// the move to the temporary file too (10 batches of 1M Int64 values, 80 MB).
    /// </summary>
    [Fact]
    public async Task Builder_FullChunksReadWhileWriting_AreTheResultsBytes()
    {
        var schema = new Schema([new Field("n", Int64Type.Default, false)], null);
        using var builder = new ArrowResult.Builder(schema);
        var read = new List<byte[]>();
        var done = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                for (; read.Count < builder.FullChunks; ) read.Add(builder.FullChunk(read.Count).ToArray());
                if (await Task.WhenAny(done.Task, builder.FilledAsync(read.Count)) == done.Task && read.Count == builder.FullChunks) return;
            }
        });
        for (var b = 0; b < 10; b++)
        {
            var values = new Int64Array.Builder().Reserve(1_000_000);
            for (long i = 0; i < 1_000_000; i++) values.Append(b * 1_000_000L + i);
            using var batch = new RecordBatch(schema, [values.Build()], 1_000_000);
            builder.Write(batch);
        }
        var result = builder.Finish([]);
        done.SetResult();
        await reader;

        Assert.True(result.Bytes > ArrowResult.SpillBytes);
        Assert.Equal(result.Chunks.Count - 1, read.Count);  // every chunk but the last filled while writing
        Assert.True(Joined(read.Append(result.Chunks[^1].ToArray())).SequenceEqual(Joined(result.Chunks.Select(c => c.ToArray()))));

        static byte[] Joined(IEnumerable<byte[]> chunks)
        {
            using var all = new MemoryStream();
            foreach (var chunk in chunks) all.Write(chunk);
            return all.ToArray();
        }
    }

    [Fact]
    public async Task From_OverTheSpillSize_KeptInAFileAndReadBackWhole()
    {
        const int rows = 10_000_000;  // 80 MB of Int64 values
        var result = Numbers(rows);

        Assert.True(result.Bytes > ArrowResult.SpillBytes);
        Assert.IsNotType<List<ReadOnlyMemory<byte>>>(result.Chunks);  // not a list of buffers in memory
        Assert.Equal(result.Bytes, result.Chunks.Sum(c => (long)c.Length));
        Assert.All(result.Chunks.SkipLast(1), c => Assert.Equal(ArrowResult.ChunkBytes, c.Length));
        using var reader = new ArrowStreamReader(new ArrowResultStream(result));
        long count = 0, sum = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                var column = (Int64Array)batch.Column(0);
                for (var i = 0; i < column.Length; i++) sum += column.GetValue(i)!.Value;
                count += batch.Length;
            }
        }
        Assert.Equal(rows, count);
        Assert.Equal((long)rows * (rows - 1) / 2, sum);
    }

    /// <summary>
    /// A spilled result's file has no name on disk while the result is held (Linux: its open
    /// descriptor reads "(deleted)"), so a process that ends before the result is collected leaves
    /// nothing behind. Before this, each 10M-row benchmark run left a 1.3 GB file in the temporary folder.
    /// </summary>
    [Fact]
    public void From_OverTheSpillSize_LeavesNoFileBehind()
    {
        if (!OperatingSystem.IsLinux()) return;  // read through /proc; on Windows the system deletes the file when its last handle closes
        const int rows = 10_000_000;
        var result = Numbers(rows);

        var spilled = Directory.EnumerateFileSystemEntries("/proc/self/fd").Select(Target)
            .Where(target => target?.Contains("qa-result-", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(spilled);  // this result's file is open
        Assert.All(spilled, target => Assert.EndsWith("(deleted)", target));
        Assert.Equal(ArrowResult.ChunkBytes, result.Chunks[0].Length);  // and still reads back
        GC.KeepAlive(result);

        // What a descriptor points at; null when another test closed it meanwhile.
        static string? Target(string fd)
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    [Fact]
    public void From_Small_InMemory()
    {
        var schema = new Schema([new Field("n", Int64Type.Default, false)], null);
        var result = ArrowResult.From(schema, [new RecordBatch(schema, [new Int64Array.Builder().Append(1).Build()], 1)], []);
        Assert.IsType<List<ReadOnlyMemory<byte>>>(result.Chunks);
        Assert.Equal(1, result.RowCount);
    }

    /// <summary>
    /// The result cache counts a result's bytes, so what holds them is no bigger than about that: a
    /// small result's buffer is its size (it held a whole 1 MB chunk before), and a big one's last
    /// chunk at most twice what it holds.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(5_000)]
    [InlineData(300_000)]
    public void From_BuffersNoBiggerThanTheBytesCounted(int rows)
    {
        var result = Numbers(rows);

        var held = result.Chunks.Sum(c => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(c, out var segment) ? (long)segment.Array!.Length : 0);
        Assert.True(held <= 2 * result.Bytes, $"{held:N0} bytes of buffers for {result.Bytes:N0} bytes of result");
        if (rows == 1) Assert.Equal(result.Bytes, held);
        using var reader = new ArrowStreamReader(new ArrowResultStream(result));
        using var batch = reader.ReadNextRecordBatch();
        Assert.Equal(rows - 1, ((Int64Array)batch.Column(0)).GetValue(rows - 1));
    }
}
