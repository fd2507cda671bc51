using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

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

    public override Task Query(QueryRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) =>
        request.SendWhileComputing ? ServeWhileComputing(request, responseStream, context) : Serve(request, responseStream, context);

    public override Task GetRiskFlags(RiskFlagsRequest request, IServerStreamWriter<ArrowChunk> responseStream, ServerCallContext context) => Serve(request, responseStream, context);

    /// <summary>The response trailer with a Query's row count.</summary>
    public const string RowCountTrailer = "qa-row-count";

    /// <summary>Runs the RPC named by the calling override (<see cref="RpcQueries"/>) and streams its tables.</summary>
    private async Task Serve(IMessage request, IServerStreamWriter<ArrowChunk> stream, ServerCallContext context, [CallerMemberName] string rpc = "")
    {
        var served = await Run(request, context, rpc);
        foreach (var table in served.Tables) await Write(table, 0, stream, context.CancellationToken);
        if (request is QueryRequest) context.ResponseTrailers.Add(RowCountTrailer, Count(served));
        runner.Served(rpc, request, served);
    }

    /// <summary>
    /// Query with send_while_computing: the table's chunks are sent as they fill while its computation
    /// goes on (never waiting for this caller: a slow reader holds no query slot), then the rest once it
    /// is done. A computation shared with an identical call, or a table worked out whole, is sent finished.
    /// </summary>
    private async Task ServeWhileComputing(QueryRequest request, IServerStreamWriter<ArrowChunk> stream, ServerCallContext context, [CallerMemberName] string rpc = "")
    {
        var live = new LiveTable();
        LiveTable.Current.Value = live;
        var run = Run(request, context, rpc);  // its flow keeps the live table; ours lets it go
        LiveTable.Current.Value = null;
        // Its failure is awaited below, unless this call ends first (the caller went away mid-table).
        _ = run.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var ct = context.CancellationToken;
        var sent = 0;
        if (await Task.WhenAny(run, live.Started) != run)
        {
            var writing = await live.Started;
            try
            {
                while (!run.IsCompleted)
                {
                    for (; sent < writing.Builder.FullChunks; sent++)
                    {
                        await Send(stream, writing.Builder.FullChunk(sent), sent == 0 ? Metadata(writing.Table, writing.Snapshot, 0, writing.Notes) : null, ct);
                    }
                    await Task.WhenAny(run, writing.Builder.FilledAsync(sent));
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A chunk could not be read: if the computation failed meanwhile (its file closed), its own error follows.
                await Task.WhenAny(run);  // its end, whatever it was, without throwing
                if (run.IsCompletedSuccessfully) throw;
            }
        }
        var served = await run;  // a failure ends the call here, with its status, after what was sent
        await Write(served.Tables[0], sent, stream, ct);
        context.ResponseTrailers.Add(RowCountTrailer, Count(served));
        runner.Served(rpc, request, served);
    }

    private static string Count(ServedResult served) => served.Tables.Sum(t => t.Result.RowCount).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Computes (or shares) the RPC's tables, domain errors as status codes.</summary>
    private async Task<ServedResult> Run(IMessage request, ServerCallContext context, string rpc)
    {
        var query = RpcQueries.All[rpc];
        try
        {
            return await runner.RunAsync(rpc, request, context.GetHttpContext().User, context.RequestHeaders.GetValue(Audiences.Header),
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
    }

    /// <summary>A table's chunks from <paramref name="from"/> on; the first carries its metadata.</summary>
    private static async Task Write(TableResult table, int from, IServerStreamWriter<ArrowChunk> stream, CancellationToken ct)
    {
        for (var i = from; i < table.Result.Chunks.Count; i++)
        {
            await Send(stream, table.Result.Chunks[i], i == 0 ? Metadata(table.Table, table.Snapshot, table.Result.RowCount, table.Result.Notes) : null, ct);
        }
    }

    private static Task Send(IServerStreamWriter<ArrowChunk> stream, ReadOnlyMemory<byte> bytes, ResultMetadata? metadata, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return stream.WriteAsync(new ArrowChunk { ArrowIpcChunk = UnsafeByteOperations.UnsafeWrap(bytes), Metadata = metadata }, ct);
    }

    private static ResultMetadata Metadata(string table, Snapshot snapshot, long rowCount, IReadOnlyList<string> notes)
    {
        var metadata = new ResultMetadata
        {
            Table = table,
            SnapshotId = snapshot.Id,
            SnapshotCreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(snapshot.CreatedAt, DateTimeKind.Utc)),
            RowCount = rowCount,
        };
        metadata.Notes.AddRange(notes);
        return metadata;
    }
}
