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

    public long Bytes => Chunks.Sum(c => (long)c.Length);

    /// <summary>
    /// Writes <paramref name="batches"/> (sharing <paramref name="schema"/>) as one IPC stream,
    /// straight into chunks, disposing each batch unless its arrays belong to someone else.
    /// </summary>
    public static ArrowResult From(Schema schema, IEnumerable<RecordBatch> batches, IReadOnlyList<string> notes, bool disposeBatches = true)
    {
        using var chunks = new ChunkStream();
        long rows = 0;
        using (var writer = new ArrowStreamWriter(chunks, schema, leaveOpen: true))
        {
            writer.WriteStart();
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
                rows += batch.Length;
                if (disposeBatches) batch.Dispose();
            }
            writer.WriteEnd();
        }
        return new ArrowResult(chunks.Chunks(), rows, notes);
    }

    /// <summary>A write-only stream that fills fixed-size buffers: no copy at the end and no 2 GB limit of one array.</summary>
    private sealed class ChunkStream : Stream
    {
        private readonly List<byte[]> _full = [];
        private byte[] _current = new byte[ChunkBytes];
        private int _used;
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                if (_used == ChunkBytes)
                {
                    _full.Add(_current);
                    _current = new byte[ChunkBytes];
                    _used = 0;
                }
                var n = Math.Min(buffer.Length, ChunkBytes - _used);
                buffer[..n].CopyTo(_current.AsSpan(_used));
                _used += n;
                _length += n;
                buffer = buffer[n..];
            }
        }

        public List<ReadOnlyMemory<byte>> Chunks()
        {
            var chunks = _full.Select(b => (ReadOnlyMemory<byte>)b).ToList();
            if (_used > 0) chunks.Add(_current.AsMemory(0, _used));
            return chunks;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
