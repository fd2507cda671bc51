using System.Diagnostics;
using System.Security.Claims;
using Google.Protobuf;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Caching;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

/// <summary>What a call was given: who asked and the tables computed (or shared from the cache) for them.</summary>
public sealed record ServedResult(Caller Caller, IReadOnlyList<TableResult> Tables)
{
    /// <summary>The Stopwatch timestamp this call's tables were computed in the heavy lane; 0 when they came from the light lane or the cache.</summary>
    public long HeavyComputedAt { get; init; }
}

/// <summary>
/// What every edge (gRPC, /api/v1, OData) does around a question: resolves the caller, shares a
/// computation between identical calls with identical rights on one snapshot (the cache and the
/// query gate, in the lane the request's estimated cost calls for), and writes the access log — one line per call naming who asked for what and what
/// they were given; a refusal as a warning. Status codes stay with each edge.
/// </summary>
public sealed partial class ResultRunner(SnapshotSource snapshots, ResultCache cache, QueryGate gate, CallerResolver callers, ILogger<ResultRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="query"/> for the caller <paramref name="user"/> names. The cache key is the
    /// RPC, the caller's rights and the request's bytes, so the same question asked over gRPC or
    /// HTTP is computed once. Refusals are logged and rethrown. <paramref name="edge"/> (HTTP, OData) is
    /// added to the RPC's name in the log; gRPC calls leave it out.
    /// </summary>
    public async Task<ServedResult> RunAsync(string rpc, IMessage request, ClaimsPrincipal? user, string? audience,
        Func<Caller, CancellationToken, Task<IReadOnlyList<TableResult>>> query, CancellationToken ct, string? edge = null)
    {
        Caller? caller = null;
        try
        {
            var who = callers.Resolve(user) with { ForPublication = Audiences.ForPublication(audience) };
            RequestLimits.Check(request);  // before the cache and the queue: an oversized request holds nothing
            caller = who;
            // Same request, same rights, same snapshot: same answer.
            var key = rpc + ":" + who.AccessKey + ":" + request.ToByteString().ToBase64();
            long heavyComputedAt = 0;
            var tables = await cache.GetOrComputeAsync(snapshots.Current(), key, async c =>
            {
                var (computed, weight) = await RunInLaneAsync(gate, who.Subject, request, who, q => query(who, q), c);  // only a miss needs its lane
                if (weight == QueryWeight.Heavy) heavyComputedAt = Stopwatch.GetTimestamp();
                return computed;
            }, ct);
            return new ServedResult(who, tables) { HeavyComputedAt = heavyComputedAt };
        }
        catch (AccessDeniedException ex)
        {
            LogDenied(LogText.Escape(caller?.Subject ?? Subject(user)), caller is null ? "none" : Roles.Name(caller.Role), Label(rpc, edge), AskedScope(request),
                LogText.Escape(ex.Message, LogText.MaxLength));
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/> through the gate in the lane <paramref name="request"/>'s estimate
    /// (<see cref="PlanWeight.Estimate"/>) calls for: a small plan (under
    /// <see cref="AnalyticsQueries.CalculatorBelowCells"/>) on the small plans' instance with its figures
    /// finished by the calculator, a costly one in the heavy lane. Every computation of a request's
    /// answer goes this way (the calls, and the dashboards' warm-up, which warms what calls will use).
    /// </summary>
    internal static async Task<(T Result, QueryWeight Weight)> RunInLaneAsync<T>(QueryGate gate, string subject, IMessage request, Caller caller,
        Func<CancellationToken, Task<T>> query, CancellationToken ct)
    {
        var estimate = PlanWeight.Estimate(request, caller);
        var weight = estimate < AnalyticsQueries.CalculatorBelowCells ? QueryWeight.Small : PlanWeight.Of(estimate, gate.HeavyPlanWeight);
        AnalyticsQueries.EstimatedCells.Value = estimate;  // flows into the query, not back out of this method
        return (await gate.RunAsync(subject, weight, query, ct), weight);
    }

    /// <summary>The access-log line of a call that was answered (after its tables were sent).</summary>
    public void Served(string rpc, IMessage request, ServedResult served, string? edge = null)
    {
        if (served.HeavyComputedAt != 0) gate.Sent(Stopwatch.GetElapsedTime(served.HeavyComputedAt));
        rpc = Label(rpc, edge);
        var rows = served.Tables.Sum(t => t.Result.RowCount);
        LogServed(rpc, served.Tables.Count, rows, served.Tables.FirstOrDefault()?.Snapshot.Id ?? "");
        LogAccess(LogText.Escape(served.Caller.Subject), Roles.Name(served.Caller.Role) + (served.Caller.ForPublication ? ", for publication" : ""), rpc, AskedScope(request), served.Tables.FirstOrDefault()?.Access ?? "", rows);
    }

    /// <summary>A call that failed for a reason that is not the caller's (the edge answers Internal / 500).</summary>
    public void Failed(string rpc, Exception exception, string? edge = null) => LogFailed(Label(rpc, edge), exception);

    private static string Label(string rpc, string? edge) => edge is null ? rpc : $"{rpc} ({edge})";

    /// <summary>The subject of an authenticated user whose claims do not make a caller, for the refusal's log line.</summary>
    private static string Subject(ClaimsPrincipal? user) => user?.FindFirst(Roles.SubjectClaim)?.Value ?? "unknown";

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

    [LoggerMessage(100, LogLevel.Information, "{Rpc} served {Tables} table(s), {Rows} row(s) from snapshot {SnapshotId}")]
    private partial void LogServed(string rpc, int tables, long rows, string snapshotId);

    [LoggerMessage(101, LogLevel.Error, "{Rpc} failed")]
    private partial void LogFailed(string rpc, Exception exception);

    [LoggerMessage(110, LogLevel.Information, "Access: {Subject} ({Role}) {Rpc} asked {AskedScope}; applied {AppliedScope}; {Rows} row(s)")]
    private partial void LogAccess(string subject, string role, string rpc, string askedScope, string appliedScope, long rows);

    [LoggerMessage(111, LogLevel.Warning, "Access denied: {Subject} ({Role}) {Rpc} asked {AskedScope}: {Reason}")]
    private partial void LogDenied(string subject, string role, string rpc, string askedScope, string reason);
}
