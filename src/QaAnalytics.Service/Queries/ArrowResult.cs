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
        using var builder = new Builder(schema);
        foreach (var batch in batches)
        {
            builder.Write(batch);
            if (disposeBatches) batch.Dispose();
        }
        return builder.Finish(notes);
    }

    /// <summary>
    /// An IPC stream written batch by batch as the batches are made, so a batch can be released
    /// as soon as it is written; <see cref="Finish"/> gives the result.
    /// </summary>
    public sealed class Builder : IDisposable
    {
        private readonly ChunkStream _chunks = new();
        private readonly ArrowStreamWriter _writer;
        private bool _finished;

        public Builder(Schema schema)
        {
            _writer = new ArrowStreamWriter(_chunks, schema, leaveOpen: true);
            _writer.WriteStart();
        }

        public long RowCount { get; private set; }

        /// <summary>IPC bytes written so far.</summary>
        public long Bytes => _chunks.Length;

        /// <summary>Writes a batch; the caller still owns it.</summary>
        public void Write(RecordBatch batch)
        {
            _writer.WriteRecordBatch(batch);
            RowCount += batch.Length;
        }

        public ArrowResult Finish(IReadOnlyList<string> notes)
        {
            _writer.WriteEnd();
            _writer.Dispose();
            _finished = true;
            return new ArrowResult(_chunks.Chunks(), RowCount, notes);
        }

        public void Dispose()
        {
            if (!_finished) _writer.Dispose();
            _chunks.Dispose();
        }
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
