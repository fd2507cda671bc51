using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Grpc;

namespace QaAnalytics.Tests.Service.Grpc;

/// <summary>
/// Issue 13 §3, "compute and send batch by batch": Query with send_while_computing sends its table's
/// chunks as they fill, on a generated sample of 12 councils × 3 years over real gRPC. The rows are
/// the finished table's, cell for cell and in order; the count comes in the trailer.
/// </summary>
public sealed class SendWhileComputingTests(SendWhileComputingTests.TwelveCouncils fixture) : IClassFixture<SendWhileComputingTests.TwelveCouncils>
{
    /// <summary>The service over a generated sample of 12 councils × 3 years: KPI figures by team and month come to about 3.5 MB of IPC.</summary>
    public sealed class TwelveCouncils : ServiceFixture
    {
        protected override void Write(TestFiles files) => SampleGenerator.Write(new SampleOptions(files.Input, Councils: 12, Years: 3, Seed: 7));
    }

    /// <summary>KPI figures by team, month and KPI: several chunks of IPC. <paramref name="from"/> spells the same rows another way (a month before the data), so a call computes rather than meet the cache.</summary>
    private static QueryRequest ByTeamAndMonth(string from, bool live) => new()
    {
        Measures = { "kpi_rate", "kpi_value" }, Dimensions = { "kpi_code" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.Month,
        Period = new PeriodRange { FromMonth = from }, SendWhileComputing = live,
    };

    private static async Task<(ResultMetadata Metadata, List<Dictionary<string, object?>> Rows, int Chunks, Metadata Trailers)> Read(AsyncServerStreamingCall<ArrowChunk> call)
    {
        using (call)
        {
            var table = Assert.Single(await ArrowResponse.TablesAsync(call.ResponseStream));
            return (table.Metadata, ArrowRows.Rows(table.Chunks), table.Chunks.Count, call.GetTrailers());
        }
    }

    [Fact]
    public async Task Query_SendWhileComputing_TheFinishedTablesRowsAndTheCountInTheTrailer()
    {
        var client = fixture.Client(0);
        var finished = await Read(client.Query(ByTeamAndMonth("2019-01", live: false)));
        Assert.True(finished.Chunks > 2, $"{finished.Chunks} chunks");
        Assert.Equal(finished.Rows.Count, finished.Metadata.RowCount);
        Assert.Equal($"{finished.Rows.Count}", finished.Trailers.GetValue(QaAnalyticsService.RowCountTrailer));

        // A computation starts the table's writing well before it ends (several MB), so a call sends
        // while computing; three spellings of the same rows, in case a busy machine let one finish first.
        var streamed = 0;
        foreach (var from in (string[])["2019-02", "2019-03", "2019-04"])
        {
            var live = await Read(client.Query(ByTeamAndMonth(from, live: true)));

            Assert.Equal($"{finished.Rows.Count}", live.Trailers.GetValue(QaAnalyticsService.RowCountTrailer));
            Assert.Equal(finished.Metadata.Notes, live.Metadata.Notes);
            Assert.Equal((finished.Metadata.Table, finished.Metadata.SnapshotId), (live.Metadata.Table, live.Metadata.SnapshotId));
            Assert.Equal(finished.Rows.Count, live.Rows.Count);
            for (var r = 0; r < finished.Rows.Count; r++)
            {
                Assert.Equal(finished.Rows[r].Keys, live.Rows[r].Keys);
                foreach (var (column, value) in finished.Rows[r]) Assert.True(Equals(value, live.Rows[r][column]), $"row {r}, {column}: finished {value}, sent while computing {live.Rows[r][column]}");
            }
            if (live.Metadata.RowCount == 0) streamed++;  // sent before the count was known
            else Assert.Equal(finished.Rows.Count, live.Metadata.RowCount);
        }
        Assert.True(streamed > 0, "No call sent its rows while computing.");
    }

    [Fact]
    public async Task Query_SendWhileComputing_RepeatFromTheCacheComesFinished()
    {
        var client = fixture.Client(0);
        var first = await Read(client.Query(ByTeamAndMonth("2018-06", live: true)));

        var repeat = await Read(client.Query(ByTeamAndMonth("2018-06", live: true)));

        Assert.Equal(first.Rows.Count, repeat.Metadata.RowCount);
        Assert.Equal($"{first.Rows.Count}", repeat.Trailers.GetValue(QaAnalyticsService.RowCountTrailer));
    }

    [Fact]
    public async Task Query_SendWhileComputing_OverTheRowCap_FailedPrecondition()
    {
        var client = new QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient(fixture.Channel(0, new Dictionary<string, string> { ["QaAnalytics:MaxRowsPerCall"] = "3" }));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Read(client.Query(ByTeamAndMonth("2019-01", live: true))));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("QaAnalytics:MaxRowsPerCall", refused.Status.Detail, StringComparison.Ordinal);
    }
}
