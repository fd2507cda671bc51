using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Grpc;

/// <summary>
/// The gRPC edge: the caller and request in, Arrow chunks out, domain errors to status codes; the
/// caller, the shared computation and the access log are the <see cref="ResultRunner"/>'s.
/// </summary>
public sealed class QaAnalyticsService(AnalyticsQueries queries, ResultRunner runner)
    : Contracts.V1.QaAnalytics.QaAnalyticsBase
{
    public override Task GetCatalogue(CatalogueRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetGradeDistribution(GradeDistributionRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetTriangulation(TriangulationRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetModeration(ModerationRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetAuditCompliance(AuditComplianceRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetInadequateFollowUp(InadequateFollowUpRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetComplaints(ComplaintsRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetKpiTrend(KpiTrendRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task Query(QueryRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    public override Task GetRiskFlags(RiskFlagsRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    /// <summary>Runs the RPC named by the calling override (<see cref="RpcQueries"/>) and streams its tables.</summary>
    private async Task Serve(IMessage request, IServerStreamWriter<ArrowChunk> stream, ServerCallContext context, [CallerMemberName] string rpc = "")
    {
        var query = RpcQueries.All[rpc];
        ServedResult served;
        try
        {
            served = await runner.RunAsync(rpc, request, context.GetHttpContext().User, context.RequestHeaders.GetValue(Audiences.Header),
                (caller, ct) => query.Run(queries, request, caller, ct), context.CancellationToken);
        }
        catch (Exception ex) when (EdgeErrors.Of(ex) is { } error)
        {
            throw new RpcException(new Status(error.Grpc, error.Detail));
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
