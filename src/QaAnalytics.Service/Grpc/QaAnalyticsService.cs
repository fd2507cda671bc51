using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Grpc;

/// <summary>
/// The gRPC edge: the caller and request in, Arrow chunks out, domain errors to status codes, and
/// one access-log line per call (who asked for what, what they were given; never a child id).
/// </summary>
public sealed partial class QaAnalyticsService(AnalyticsQueries queries, SnapshotSource snapshots, ResultCache cache, QueryGate gate,
    CallerResolver callers, ILogger<QaAnalyticsService> logger)
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
        IReadOnlyList<TableResult> tables;
        Caller? caller = null;
        try
        {
            var who = callers.Resolve(context.GetHttpContext().User) with { ForPublication = ForPublication(context) };
            RequestLimits.Check(request);  // before the cache and the queue: an oversized request holds nothing
            caller = who;
            // Same request, same rights, same snapshot: same answer.
            var key = rpc + ":" + who.AccessKey + ":" + request.ToByteString().ToBase64();
            tables = await cache.GetOrComputeAsync(snapshots.Current(), key, ct => gate.RunAsync(who.Subject, c => query(who, c), ct), context.CancellationToken);
        }
        catch (QueryTimeoutException ex)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, ex.Message));
        }
        catch (AccessDeniedException ex)
        {
            LogDenied(LogText.Escape(caller?.Subject ?? "unknown"), caller is null ? "none" : Roles.Name(caller.Role), rpc, AskedScope(request), LogText.Escape(ex.Message, LogText.MaxLength));
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
            LogFailed(rpc, ex);
            throw new RpcException(new Status(StatusCode.Internal, "The query failed; the service log has the details."));
        }
        foreach (var table in tables) await Write(table, stream, context.CancellationToken);
        var rows = tables.Sum(t => t.Result.RowCount);
        LogServed(rpc, tables.Count, rows, tables.FirstOrDefault()?.Snapshot.Id ?? "");
        LogAccess(LogText.Escape(caller.Subject), Roles.Name(caller.Role) + (caller.ForPublication ? ", for publication" : ""), rpc, AskedScope(request), tables.FirstOrDefault()?.Access ?? "", rows);
    }

    /// <summary>The scope, grouping and organisation filters a request asked for (never measure values or child data: requests hold none).</summary>
    private static string AskedScope(IMessage request)
    {
        var descriptor = request.Descriptor;
        var scope = descriptor.FindFieldByName("scope")?.Accessor.GetValue(request) as Scope;
        var groupBy = descriptor.FindFieldByName("group_by")?.Accessor.GetValue(request) is OrgLevel level ? level : OrgLevel.Unspecified;
        var asked = new AccessRequest(scope, groupBy, OrgLevel.Unspecified);
        if (request is QueryRequest query)
        {
            asked = asked with
            {
                Dimensions = [.. query.Dimensions],
                Filters = query.Filters.GroupBy(f => f.Dimension.Trim().ToLowerInvariant())
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(f => f.Values).ToList(), StringComparer.Ordinal),
            };
        }
        else if (request is ModerationRequest { ByAuditor: true })
        {
            asked = asked with { Dimensions = ["auditor_id"] };
        }
        return asked.ToString();
    }

    /// <summary>The request header that marks a call's output for publication (an export, an evidence pack, a public feed).</summary>
    public const string AudienceHeader = "qa-audience";

    /// <summary>
    /// Whether the call says its output is for publication (header <c>qa-audience: publication</c>);
    /// then its figures are for outside the council, whoever asks. Any other value is refused.
    /// </summary>
    private static bool ForPublication(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(AudienceHeader);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "council" => false,
            "publication" => true,
            _ => throw new BadArgumentException(AudienceHeader, "use 'publication' (figures for outside the council) or 'council'"),
        };
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

    [LoggerMessage(100, LogLevel.Information, "{Rpc} served {Tables} table(s), {Rows} row(s) from snapshot {SnapshotId}")]
    private partial void LogServed(string rpc, int tables, long rows, string snapshotId);

    [LoggerMessage(101, LogLevel.Error, "{Rpc} failed")]
    private partial void LogFailed(string rpc, Exception exception);

    [LoggerMessage(110, LogLevel.Information, "Access: {Subject} ({Role}) {Rpc} asked {AskedScope}; applied {AppliedScope}; {Rows} row(s)")]
    private partial void LogAccess(string subject, string role, string rpc, string askedScope, string appliedScope, long rows);

    [LoggerMessage(111, LogLevel.Warning, "Access denied: {Subject} ({Role}) {Rpc} asked {AskedScope}: {Reason}")]
    private partial void LogDenied(string subject, string role, string rpc, string askedScope, string reason);
}
