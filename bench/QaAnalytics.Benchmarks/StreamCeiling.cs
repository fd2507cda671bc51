using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Apache.Arrow.Ipc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Section (c)'s ceiling: what a gRPC service doing nothing but stream DuckDB's result gives end to
/// end for (c)'s result on this machine. A bare gRPC server in this process answers <c>Query</c> by running one statement on
/// DuckDB (read-only, under the service's memory limit) and sending each Arrow batch as IPC chunks
/// the moment DuckDB hands it over: no cache, gate, access check, disclosure step or semantic layer,
/// nothing written whole first, no row count in the first chunk. The same client as (c) decodes it
/// batch by batch. Run twice: with the service's statement, and with that statement's closing
/// <c>ORDER BY</c> taken off (rows in whatever order DuckDB's threads finish them), which the
/// service does not offer.
/// </summary>
internal static partial class StreamCeiling
{
    /// <summary>The statement without its closing ORDER BY.</summary>
    public static string Unordered(string sql)
    {
        var unordered = ClosingOrder().Replace(sql, "");
        return unordered != sql ? unordered : throw new InvalidOperationException("The statement has no closing ORDER BY to take off.");
    }

    /// <summary>Median seconds of <paramref name="runs"/> calls, and the result's rows and IPC bytes, for the statement as given and without its closing ORDER BY.</summary>
    public static async Task<(Measure Ordered, Measure Unordered)> MeasureAsync(string db, string sql, IReadOnlyDictionary<string, object?> parameters, int runs = 3)
    {
        var unordered = Unordered(sql);
        var statement = new Statement(db, sql, parameters);
        var port = ServiceProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));  // as the service listens
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(statement);
        await using var app = builder.Build();
        app.MapGrpcService<BareQuery>();
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

        async Task<Measure> Time(string text)
        {
            statement.Sql = text;
            var (seconds, rows, bytes) = (new List<double>(), 0L, 0L);
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                (_, rows, bytes) = await ArrowChunkReader.StreamAsync(client.Query(new QueryRequest(), deadline: DateTime.UtcNow.AddMinutes(30)), _ => { });
                seconds.Add(sw.Elapsed.TotalSeconds);
            }
            return new Measure(BenchMath.Median(seconds), rows, bytes);
        }

        var ordered = await Time(sql);
        var unorderedMeasure = await Time(unordered);
        await app.StopAsync();
        return (ordered, unorderedMeasure);
    }

    public sealed record Measure(double Seconds, long Rows, long Bytes)
    {
        public double MegabytesPerSecond => Bytes / 1e6 / Seconds;
    }

    /// <summary>The statement's last line when it is an ORDER BY of column positions.</summary>
    [GeneratedRegex(@"\s*ORDER BY [0-9, ]+\s*$")]
    private static partial Regex ClosingOrder();

    private sealed class Statement(string db, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        public string Db { get; } = db;

        public string Sql { get; set; } = sql;

        public IReadOnlyDictionary<string, object?> Parameters { get; } = parameters;
    }

    /// <summary>Query: the statement's batches as IPC chunks, each sent as soon as DuckDB gives it.</summary>
    private sealed class BareQuery(Statement statement) : Contracts.V1.QaAnalytics.QaAnalyticsBase
    {
        public override async Task Query(QueryRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context)
        {
            var ct = context.CancellationToken;
            using var connection = SnapshotDatabase.OpenReadOnly(statement.Db);
            DuckDbArrow.LimitMemory(connection, new ServiceOptions().DuckDbMemoryMegabytes);
            using var reader = DuckDbArrow.Open(connection, statement.Sql, statement.Parameters, ct);
            using var buffer = new MemoryStream();
            using var writer = new ArrowStreamWriter(buffer, reader.Schema, leaveOpen: true);
            var first = true;
            writer.WriteStart();
            while (await reader.NextAsync(ct) is { } batch)
            {
                using (batch) writer.WriteRecordBatch(batch);
                await SendAsync();
            }
            writer.WriteEnd();
            await SendAsync();

            // What the writer has put in the buffer, in chunks of at most the service's size, then the buffer emptied.
            async Task SendAsync()
            {
                var written = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
                for (var at = 0; at < written.Length; at += ArrowResult.ChunkBytes)
                {
                    var chunk = new ArrowChunk { ArrowIpcChunk = ByteString.CopyFrom(written.Span.Slice(at, Math.Min(ArrowResult.ChunkBytes, written.Length - at))) };
                    if (first) chunk.Metadata = new ResultMetadata { Table = "query" };
                    first = false;
                    await responseStream.WriteAsync(chunk, ct);
                }
                buffer.SetLength(0);
            }
        }
    }
}
