using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Service;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Snapshots;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

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
        SyntheticKpiRows.Add(SnapshotSource.Resolve(_files.DbPath), SyntheticRows, "test");
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
