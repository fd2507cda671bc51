using Microsoft.Extensions.Options;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Http;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Dashboard;

/// <summary>
/// When a snapshot is first served (at start, then whenever the link points at a new one), runs
/// each <c>/api/v1</c> feed the dashboard reads once, in the background, as the director of the
/// snapshot's last council (by code), one feed at a time, through the query gate as a caller of its own (so it
/// holds one slot at most and real callers keep their fair share). The answers are thrown away, never cached or served: a director's first visit still
/// computes their own figures. What it saves is the process's first-call costs: code compiled on
/// first use, and the snapshot's columns read into DuckDB's buffers. Off with
/// <c>QaAnalytics:WarmUpDashboards = false</c>.
/// </summary>
public sealed partial class DashboardWarmUp(SnapshotSource snapshots, AnalyticsQueries queries, QueryGate gate, IOptions<ServiceOptions> options,
    ILogger<DashboardWarmUp> logger) : BackgroundService
{
    /// <summary>How often the published link is looked at for a new snapshot.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(15);

    /// <summary>The gate's caller name for the warm-up.</summary>
    public const string Subject = "(warm-up)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUpDashboards) return;
        string? warmed = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var snapshot = snapshots.Current();
                if (snapshot.Id != warmed)
                {
                    warmed = snapshot.Id;  // once per snapshot, even if it fails
                    await WarmAsync(snapshot, stoppingToken);
                }
            }
            catch (SnapshotException)
            {
                // Nothing published yet, or a snapshot of another schema version: the service's own calls say so.
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }
            try
            {
                await Task.Delay(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs every feed once (each computation once: the catalogue's tables share one) for the last council's director.</summary>
    public async Task<int> WarmAsync(Snapshot snapshot, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? council;
        using (var connection = SnapshotSource.Open(snapshot))
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT max(la_code) FROM dim_team";
            council = cmd.ExecuteScalar() as string;
        }
        if (council is null) return 0;
        var caller = new Caller(Subject, Role.Director, council, null, null);
        var feeds = 0;
        foreach (var feed in ApiResult.All.Values.DistinctBy(r => (r.Rpc, r.NewRequest().Descriptor.FullName)))
        {
            var request = feed.NewRequest();
            try
            {
                await ResultRunner.RunInLaneAsync(gate, Subject, request, caller, q => feed.Query(queries, request, caller, q), ct);
                feeds++;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is NotFoundException or AccessDeniedException or QueryTimeoutException)
            {
                // A snapshot without risk flags, say: the other feeds are still worth warming.
            }
        }
        LogWarmed(logger, snapshot.Id, council, feeds, clock.ElapsedMilliseconds);
        return feeds;
    }

    [LoggerMessage(500, LogLevel.Information, "Warmed the dashboards' feeds on snapshot {SnapshotId} as council {Council}'s director: {Feeds} feed(s) in {Milliseconds} ms")]
    private static partial void LogWarmed(ILogger logger, string snapshotId, string council, int feeds, long milliseconds);

    [LoggerMessage(501, LogLevel.Warning, "Warming the dashboards' feeds failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
