using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using QaAnalytics.Benchmarks;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Service;
using QaAnalytics.Service.Client;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Snapshots;
using QaAnalytics.Tests.Loading;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// Issue 13 (bad input): a cancelled call stops its DuckDB query within 1 s. The service runs on
/// real HTTP/2 loopback over a snapshot with a few million synthetic KPI rows, so the query takes
/// seconds; the call is cancelled as soon as DuckDB starts it, and the query's own activity
/// (<see cref="DuckDbArrow.Telemetry"/>) must end interrupted within 1 s of the cancel.
/// </summary>
public sealed class CancellationTests : IAsyncLifetime
{
    private const int SyntheticRows = 4_000_000;
    private readonly TestFiles _files = new();

    public async Task InitializeAsync()
    {
        HandMadeDataset.WriteAll(_files);
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        Assert.False(report.Failed, report.Error);
        using var connection = new DuckDBConnection($"Data Source={SnapshotSource.Resolve(_files.DbPath)}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        // 120 months × every KPI per synthetic single-team council, as the service benchmark's big result.
        cmd.CommandText = """
            CREATE TEMP TABLE k AS SELECT kpi_code, unit FROM dim_kpi;
            SET VARIABLE councils = ceil($rows / (120.0 * (SELECT count(*) FROM k)))::BIGINT;
            INSERT INTO dim_team (team_id, la_code, team_name, service_area, parent_team_id, run_id) SELECT 'S' || i, 'S' || lpad(i::VARCHAR, 6, '0'), 'Synthetic team ' || i, 'Synthetic', NULL, 'test'
                FROM range(getvariable('councils')) t(i);
            INSERT INTO fact_kpi (team_id, period, kpi_code, numerator, denominator, value, run_id, source_line, record_key)
            SELECT 'S' || t.i, (DATE '2016-04-01' + INTERVAL (m.j) MONTH)::DATE, k.kpi_code,
                   CASE WHEN k.unit = 'rate' THEN (hash(t.i, m.j, k.kpi_code) % 20)::BIGINT END,
                   CASE WHEN k.unit = 'rate' THEN 20 END,
                   CASE WHEN k.unit = 'rate' THEN NULL ELSE (hash(t.i, m.j, k.kpi_code) % 300) / 10.0 END,
                   'test', 0, hash(t.i, m.j, k.kpi_code, 'key') % 4294967296
            FROM range(getvariable('councils')) t(i), range(120) m(j), k;
            CHECKPOINT;
            """;
        cmd.Parameters.Add(new DuckDBParameter("rows", SyntheticRows));
        cmd.ExecuteNonQuery();
    }

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Query_CancelledWhileDuckDbRuns_QueryInterruptedWithinOneSecond()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["QaAnalytics:DatabasePath"] = _files.DbPath;
        builder.Configuration["QaAnalytics:Port"] = port.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["QaAnalytics:HttpPort"] = ServiceProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        builder.Configuration["QaAnalytics:Auth:Mode"] = "Development";
        builder.Configuration["QaAnalytics:QueryTimeoutSeconds"] = "600";  // only the cancel may stop it
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddQaAnalytics();
        await using var app = builder.Build();
        app.MapQaAnalytics();
        await app.StartAsync();

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource<(long At, ActivityStatusCode Status, string? Description)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DuckDbArrow.TelemetryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (Ours(activity)) started.TrySetResult();
            },
            ActivityStopped = activity =>
            {
                if (Ours(activity)) stopped.TrySetResult((Stopwatch.GetTimestamp(), activity.Status, activity.StatusDescription));
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        using var cancel = new CancellationTokenSource();
        var call = ArrowChunkReader.ReadAsync(client.Query(new QueryRequest
        {
            Measures = { "kpi_rate" }, Dimensions = { "kpi_code" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.Month,
        }, cancellationToken: cancel.Token));

        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var cancelledAt = Stopwatch.GetTimestamp();
        await cancel.CancelAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => call);
        var (stoppedAt, status, description) = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(StatusCode.Cancelled, refused.StatusCode);
        Assert.Equal(ActivityStatusCode.Error, status);
        Assert.Equal(DuckDbArrow.Interrupted, description);  // DuckDB stopped mid-query, not left to finish and then not read
        Assert.InRange(Stopwatch.GetElapsedTime(cancelledAt, stoppedAt), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await app.StopAsync();
    }

    private bool Ours(Activity activity) =>
        activity.GetTagItem("db.name") is string name && name.Contains(_files.Root, StringComparison.Ordinal);
}
