using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace QaAnalytics.Service.Queries;

/// <summary>
/// Arrow IPC stream bytes cut into chunks for gRPC: the concatenation of the chunks, in order, is
/// one IPC stream (schema, then record batches).
/// </summary>
public sealed record ArrowResult(IReadOnlyList<ReadOnlyMemory<byte>> Chunks, long RowCount, IReadOnlyList<string> Notes)
{
    /// <summary>Chunk size: far below the 4 MB a gRPC client accepts by default.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>Writes <paramref name="batches"/> (sharing <paramref name="schema"/>) as one IPC stream.</summary>
    public static ArrowResult From(Schema schema, IEnumerable<RecordBatch> batches, IReadOnlyList<string> notes)
    {
        using var buffer = new MemoryStream();
        long rows = 0;
        using (var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true))
        {
            writer.WriteStart();
            foreach (var batch in batches)
            {
                using (batch)
                {
                    writer.WriteRecordBatch(batch);
                    rows += batch.Length;
                }
            }
            writer.WriteEnd();
        }
        var bytes = buffer.ToArray();
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
        {
            chunks.Add(bytes.AsMemory(offset, Math.Min(ChunkBytes, bytes.Length - offset)));
        }
        return new ArrowResult(chunks, rows, notes);
    }
}
