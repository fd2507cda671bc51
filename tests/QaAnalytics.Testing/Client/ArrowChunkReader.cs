using Apache.Arrow;
using Apache.Arrow.Ipc;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Testing.Client;

/// <summary>One table of a response, decoded: its metadata and its rows by column name.</summary>
public sealed record DecodedTable(ResultMetadata Metadata, List<Dictionary<string, object?>> Rows);

/// <summary>
/// A .NET caller's side of the contract, for the tests and the benchmarks (not shipped in the
/// service): splits a response's chunks into tables by the contract's framing
/// (<see cref="ArrowResponse"/>), joins each table's chunks into one Arrow IPC stream and decodes
/// it with Apache.Arrow's reader, or streams a large one-table response batch by batch.
/// </summary>
public static class ArrowChunkReader
{
    /// <summary>Each table's metadata and its record batches (the caller disposes the batches).</summary>
    public static async Task<List<(ResultMetadata Metadata, List<RecordBatch> Batches)>> ReadBatchesAsync(
        AsyncServerStreamingCall<ArrowChunk> call, CancellationToken ct = default)
    {
        using (call)
        {
            var tables = new List<(ResultMetadata, List<RecordBatch>)>();
            foreach (var (metadata, chunks) in await ArrowResponse.TablesAsync(call.ResponseStream, ct))
            {
                // One buffer read in place: the batches' arrays point into it rather than being copied out of a stream.
                var bytes = new byte[chunks.Sum(c => c.Length)];
                var at = 0;
                foreach (var chunk in chunks)
                {
                    chunk.Span.CopyTo(bytes.AsSpan(at));
                    at += chunk.Length;
                }
                using var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(bytes));
                var batches = new List<RecordBatch>();
                while (await reader.ReadNextRecordBatchAsync(ct) is { } batch) batches.Add(batch);
                tables.Add((metadata, batches));
            }
            return tables;
        }
    }

    /// <summary>
    /// Decodes a one-table response batch by batch as its chunks arrive, without holding the whole
    /// stream: for results too large to keep as bytes. Each batch is disposed after
    /// <paramref name="onBatch"/>. Returns the metadata, the rows and the IPC bytes received.
    /// </summary>
    public static async Task<(ResultMetadata? Metadata, long Rows, long Bytes)> StreamAsync(
        AsyncServerStreamingCall<ArrowChunk> call, Action<RecordBatch> onBatch, CancellationToken ct = default)
    {
        using (call)
        {
            await using var chunks = new ChunkReadStream(call.ResponseStream, ct);
            using var reader = new ArrowStreamReader(chunks);
            long rows = 0;
            while (await reader.ReadNextRecordBatchAsync(ct) is { } batch)
            {
                using (batch)
                {
                    onBatch(batch);
                    rows += batch.Length;
                }
            }
            return (chunks.Metadata, rows, chunks.BytesRead);
        }
    }

    /// <summary>The chunks of a response as one readable stream, pulled from gRPC as the reader needs them.</summary>
    private sealed class ChunkReadStream(IAsyncStreamReader<ArrowChunk> chunks, CancellationToken ct) : Stream
    {
        private ReadOnlyMemory<byte> _current = ReadOnlyMemory<byte>.Empty;

        public ResultMetadata? Metadata { get; private set; }

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_current.IsEmpty)
            {
                if (!await chunks.MoveNext(ct)) return 0;
                if (chunks.Current.Metadata is { } metadata)
                {
                    if (Metadata is not null) throw new InvalidDataException("StreamAsync reads one-table responses; this one has a second table.");
                    Metadata = metadata;
                }
                _current = chunks.Current.ArrowIpcChunk.Memory;
            }
            var n = Math.Min(buffer.Length, _current.Length);
            _current[..n].CopyTo(buffer);
            _current = _current[n..];
            BytesRead += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Each table's metadata and its rows by column name.</summary>
    public static async Task<List<DecodedTable>> ReadAsync(AsyncServerStreamingCall<ArrowChunk> call, CancellationToken ct = default)
    {
        using (call)
        {
            return [.. (await ArrowResponse.TablesAsync(call.ResponseStream, ct)).Select(t => new DecodedTable(t.Metadata, ArrowRows.Rows(t.Chunks)))];
        }
    }
}
