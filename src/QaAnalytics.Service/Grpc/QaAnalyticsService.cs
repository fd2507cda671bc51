using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Grpc;

/// <summary>
/// The gRPC edge: the caller and request in, Arrow chunks out, domain errors to status codes; the
/// caller, the shared computation and the access log are the <see cref="ResultRunner"/>'s.
/// </summary>
public sealed partial class QaAnalyticsService(AnalyticsQueries queries, ResultRunner runner)
    : Contracts.V1.QaAnalytics.QaAnalyticsBase
{
    public override Task GetCatalogue(CatalogueRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetCatalogue), request, context, async (caller, ct) => await queries.CatalogueAsync(caller, ct), responseStream);

    public override Task GetGradeDistribution(GradeDistributionRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetGradeDistribution), request, context, async (caller, ct) => [await queries.GradeDistributionAsync(request, caller, ct)], responseStream);

    public override Task GetTriangulation(TriangulationRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        Run(nameof(GetTriangulation), request, context, (caller, ct) => queries.TriangulationAsync(request, caller, ct), responseStream);

    private async Task Run(string rpc, IMessage request, ServerCallContext context, Func<Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> query,
        IServerStreamWriter<ArrowChunk> stream)
    {
        ServedResult served;
        try
        {
            served = await runner.RunAsync(rpc, request, context.GetHttpContext().User, context.RequestHeaders.GetValue(Audiences.Header), query, context.CancellationToken);
        }
        catch (QueryTimeoutException ex)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, ex.Message));
        }
        catch (AccessDeniedException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (BadArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, Detail(ex.Message)));
        }
        catch (NotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, Detail(ex.Message)));
        }
        catch (ResultTooLargeException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (FileNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, Detail(ex.Message)));
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
            runner.Failed(rpc, ex);
            throw new RpcException(new Status(StatusCode.Internal, "The query failed; the service log has the details."));
        }
        foreach (var table in served.Tables) await Write(table, stream, context.CancellationToken);
        runner.Served(rpc, request, served);
    }

    /// <summary>The longest status detail sent; a longer message keeps its start and end.</summary>
    public const int MaxDetail = 1000;

    /// <summary>
    /// A status detail short enough for any client. It travels as the grpc-message trailer, and a
    /// message quoting a huge request value (a 1 MB team id, say) passed the .NET client's 64 KB
    /// header limit: the client aborted the whole HTTP/2 connection, so that call and every other
    /// call on the connection failed Unavailable. Found by the fuzz.
    /// </summary>
    public static string Detail(string message) => message.Length <= MaxDetail
        ? message
        : string.Concat(message.AsSpan(0, MaxDetail / 2), $" … ({message.Length - MaxDetail:N0} characters left out) … ", message.AsSpan(message.Length - MaxDetail / 2));

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
}
