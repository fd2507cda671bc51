namespace QaAnalytics.Service.Arrow;

/// <summary>An <see cref="ArrowResult"/>'s chunks read back as one IPC stream, without copying them together.</summary>
public sealed class ArrowResultStream(ArrowResult result) : Stream
{
    private int _chunk;
    private int _offset;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => result.Bytes;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_chunk < result.Chunks.Count && _offset == result.Chunks[_chunk].Length)
        {
            _chunk++;
            _offset = 0;
        }
        if (_chunk == result.Chunks.Count) return 0;
        var n = Math.Min(buffer.Length, result.Chunks[_chunk].Length - _offset);
        result.Chunks[_chunk].Span.Slice(_offset, n).CopyTo(buffer);
        _offset += n;
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
