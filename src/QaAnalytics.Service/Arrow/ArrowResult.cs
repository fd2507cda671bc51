using Apache.Arrow;
using Apache.Arrow.Ipc;
using Microsoft.Win32.SafeHandles;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// Arrow IPC stream bytes cut into chunks for gRPC: the concatenation of the chunks, in order, is
/// one IPC stream (schema, then record batches). A result over <see cref="SpillBytes"/> is kept in
/// a temporary file (deleted when the result is released) and read back a chunk at a time as it is
/// sent, so a big result never sits whole in memory.
/// </summary>
public sealed record ArrowResult(IReadOnlyList<ReadOnlyMemory<byte>> Chunks, long RowCount, IReadOnlyList<string> Notes)
{
    /// <summary>Chunk size: far below the 4 MB a gRPC client accepts by default.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>The first chunk's buffer to start with (it doubles as it fills): a small result takes little memory.</summary>
    private const int FirstBytes = 16 << 10;

    /// <summary>Above this many bytes a result is written to a temporary file rather than kept in memory.</summary>
    public const long SpillBytes = 64L << 20;

    public long Bytes => Chunks is FileChunks file ? file.Bytes : Chunks.Sum(c => (long)c.Length);

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

        /// <summary>
        /// Chunks filled so far (each <see cref="ChunkBytes"/>, in the order of the result's
        /// <see cref="Chunks"/>), readable with <see cref="FullChunk"/> while the result is still
        /// being written: a call can send them as they fill.
        /// </summary>
        public int FullChunks => _chunks.Ready;

        /// <summary>Full chunk <paramref name="index"/> (under <see cref="FullChunks"/>), from memory or the temporary file.</summary>
        public ReadOnlyMemory<byte> FullChunk(int index) => _chunks.Full(index);

        /// <summary>Completes once more than <paramref name="have"/> chunks are full.</summary>
        public Task FilledAsync(int have) => _chunks.FilledAsync(have);

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
        private byte[] _current = new byte[FirstBytes];  // the first chunk grows to ChunkBytes as it fills
        private int _used;
        private long _length;
        private SafeFileHandle? _file;   // once over SpillBytes: the full chunks, in order
        private int _filed;              // full chunks written to the file
        private bool _handedOver;        // the file belongs to the result made from it
        private readonly Lock _lock = new();  // between the writer and a reader of full chunks (Full) on another thread
        private int _ready;              // full chunks, under _lock
        private TaskCompletionSource _filled = new(TaskCreationOptions.RunContinuationsAsynchronously);  // set as the next chunk fills, under _lock

        public int Ready
        {
            get
            {
                lock (_lock) return _ready;
            }
        }

        public Task FilledAsync(int have)
        {
            lock (_lock) return _ready > have ? Task.CompletedTask : _filled.Task;
        }

        public ReadOnlyMemory<byte> Full(int index)
        {
            SafeFileHandle file;
            lock (_lock)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _ready);
                if (_file is null) return _full[index];  // a full buffer is never written again
                file = _file;
            }
            return FileChunks.Read(file, index);
        }

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
                if (_used == _current.Length && _current.Length < ChunkBytes)
                {
                    if (2 * _current.Length < ChunkBytes)
                    {
                        System.Array.Resize(ref _current, 2 * _current.Length);
                    }
                    else
                    {
                        var whole = ChunkReserve.Take();
                        _current.AsSpan(0, _used).CopyTo(whole);
                        _current = whole;
                    }
                }
                if (_used == ChunkBytes)
                {
                    TaskCompletionSource filled;
                    lock (_lock)
                    {
                        if (_file is null && _length > SpillBytes) Spill();
                        if (_file is not null)
                        {
                            RandomAccess.Write(_file, _current, (long)_filed++ * ChunkBytes);
                        }
                        else
                        {
                            _full.Add(_current);
                            _current = ChunkReserve.Take();
                        }
                        _used = 0;
                        _ready++;
                        (filled, _filled) = (_filled, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    }
                    filled.SetResult();
                }
                var n = Math.Min(buffer.Length, _current.Length - _used);
                buffer[..n].CopyTo(_current.AsSpan(_used));
                _used += n;
                _length += n;
                buffer = buffer[n..];
            }
        }

        /// <summary>
        /// Moves the full chunks to a temporary file; later ones go there as they fill. Outside Windows
        /// the file's name is removed as soon as it is open: the open handle keeps the data until it
        /// closes, and nothing is left on disk when the process ends first (stopped, killed, or exiting
        /// while the result is still held, as a process does: its handles are not finalised at exit).
        /// On Windows the system deletes the file when its last handle closes, at exit too.
        /// </summary>
        private void Spill()
        {
            var path = Path.Combine(Path.GetTempPath(), $"qa-result-{Guid.NewGuid():N}.arrows");
            if (OperatingSystem.IsWindows())
            {
                _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            }
            else
            {
                _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                File.Delete(path);
            }
            foreach (var chunk in _full) RandomAccess.Write(_file, chunk, (long)_filed++ * ChunkBytes);
            _full.Clear();
        }

        public IReadOnlyList<ReadOnlyMemory<byte>> Chunks()
        {
            // A result's last chunk holds on to its buffer, and the result cache counts bytes used, not
            // buffers: a mostly empty buffer is copied to one of its size.
            ReadOnlyMemory<byte> tail = _used <= _current.Length / 2 ? _current.AsSpan(0, _used).ToArray() : _current.AsMemory(0, _used);
            if (_file is not null)
            {
                _handedOver = true;
                return new FileChunks(_file, _filed, tail, _length);
            }
            var chunks = _full.Select(b => (ReadOnlyMemory<byte>)b).ToList();
            if (_used > 0) chunks.Add(tail);
            return chunks;
        }

        public override void Flush()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_handedOver) _file?.Dispose();  // a result never finished: its file goes now
            base.Dispose(disposing);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>
    /// The chunks of a result kept in a temporary file: each full chunk read when asked for (by
    /// position, so readers on several threads do not disturb each other), the last one in memory.
    /// The file's space is freed when its handle closes, at the latest when the result is collected
    /// or the process ends.
    /// </summary>
    private sealed class FileChunks(SafeFileHandle file, int full, ReadOnlyMemory<byte> tail, long bytes) : IReadOnlyList<ReadOnlyMemory<byte>>
    {
        public long Bytes => bytes;

        public int Count => full + (tail.IsEmpty ? 0 : 1);

        public ReadOnlyMemory<byte> this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                return index == full ? tail : Read(file, index);
            }
        }

        /// <summary>Full chunk <paramref name="index"/> of <paramref name="file"/>, read by position into a buffer of its own.</summary>
        public static byte[] Read(SafeFileHandle file, int index)
        {
            var chunk = ChunkReserve.Take();
            var read = 0;
            while (read < chunk.Length)
            {
                var n = RandomAccess.Read(file, chunk.AsSpan(read), (long)index * ChunkBytes + read);
                if (n == 0) throw new EndOfStreamException("The result's temporary file is shorter than it was written.");
                read += n;
            }
            return chunk;
        }

        public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
