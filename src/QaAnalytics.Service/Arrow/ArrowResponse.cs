using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// The framing of a response, read back: the reverse of how the gRPC edge writes it — a table
/// starts at the chunk that carries its metadata, and its Arrow IPC stream is the chunks up to the next.
/// </summary>
public static class ArrowResponse
{
    /// <summary>Each table's metadata and the chunks of its Arrow IPC stream, in order.</summary>
    public static async Task<List<(ResultMetadata Metadata, List<ReadOnlyMemory<byte>> Chunks)>> TablesAsync(
        IAsyncStreamReader<ArrowChunk> stream, CancellationToken ct = default)
    {
        var tables = new List<(ResultMetadata Metadata, List<ReadOnlyMemory<byte>> Chunks)>();
        await foreach (var chunk in stream.ReadAllAsync(ct))
        {
            if (chunk.Metadata is not null) tables.Add((chunk.Metadata, []));
            if (tables.Count == 0) throw new InvalidDataException("The first chunk of a response must carry its table's metadata.");
            tables[^1].Chunks.Add(chunk.ArrowIpcChunk.Memory);
        }
        return tables;
    }
}
