using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Grpc;

/// <summary>The gRPC edge: requests in, Arrow chunks out, domain errors to status codes.</summary>
public sealed partial class QaAnalyticsService(AnalyticsQueries queries, SnapshotSource snapshots, ResultCache cache, QueryGate gate, ILogger<QaAnalyticsService> logger)
    : Contracts.V1.QaAnalytics.QaAnalyticsBase
{
    public override Task GetCatalogue(CatalogueRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetCatalogue), request, context, async ct => await queries.CatalogueAsync(ct), responseStream);

    public override Task GetGradeDistribution(GradeDistributionRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetGradeDistribution), request, context, async ct => [await queries.GradeDistributionAsync(request, ct)], responseStream);

    public override Task GetTriangulation(TriangulationRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetTriangulation), request, context, ct => queries.TriangulationAsync(request, ct), responseStream);

    private async Task Run(string rpc, IMessage request, ServerCallContext context, Func<CancellationToken, Task<IReadOnlyList<TableResult>>> query,
        IServerStreamWriter<ArrowChunk> stream)
    {
        IReadOnlyList<TableResult> tables;
        try
        {
            // Same request, same snapshot: same answer.
            var key = rpc + ":" + request.ToByteString().ToBase64();
            if (!cache.TryGet(snapshots.Current(), key, out tables))
            {
                tables = await gate.RunAsync(query, context.CancellationToken);
                cache.Set(key, tables);
            }
        }
        catch (BadArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (NotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (FileNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            // DuckDB reports an interrupted query as its own error; either way the caller gave up.
            throw context.Deadline <= DateTime.UtcNow
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "The deadline passed before the query finished."))
                : new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            LogFailed(rpc, ex);
            throw new RpcException(new Status(StatusCode.Internal, "The query failed; the service log has the details."));
        }
        foreach (var table in tables) await Write(table, stream, context.CancellationToken);
        LogServed(rpc, tables.Count, tables.Sum(t => t.Result.RowCount), tables.FirstOrDefault()?.Snapshot.Id ?? "");
    }

    private static async Task Write(TableResult table, IServerStreamWriter<ArrowChunk> stream, CancellationToken ct)
    {
        for (var i = 0; i < table.Result.Chunks.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = new ArrowChunk { ArrowIpcChunk = UnsafeByteOperations.UnsafeWrap(table.Result.Chunks[i]) };
            if (i == 0)
            {
                chunk.Metadata = new ResultMetadata
                {
                    Table = table.Table,
                    SnapshotId = table.Snapshot.Id,
                    SnapshotCreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(table.Snapshot.CreatedAt, DateTimeKind.Utc)),
                    RowCount = table.Result.RowCount,
                };
                chunk.Metadata.Notes.AddRange(table.Result.Notes);
            }
            await stream.WriteAsync(chunk, ct);
        }
    }

    [LoggerMessage(100, LogLevel.Information, "{Rpc} served {Tables} table(s), {Rows} row(s) from snapshot {SnapshotId}")]
    private partial void LogServed(string rpc, int tables, long rows, string snapshotId);

    [LoggerMessage(101, LogLevel.Error, "{Rpc} failed")]
    private partial void LogFailed(string rpc, Exception exception);
}
