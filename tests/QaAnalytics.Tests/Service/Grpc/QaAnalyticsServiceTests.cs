using Grpc.Core;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Grpc;

/// <summary>Every RPC over gRPC in-process against the hand-made dataset (see HandMadeDataset for the rows).</summary>
public sealed class QaAnalyticsServiceTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task GetCatalogue_ListsTeamsPeriodsAndKpisFromTheSnapshot()
    {
        var tables = await ArrowClient.ReadAsync(fixture.Client(5).GetCatalogue(new CatalogueRequest()));

        Assert.Equal(["teams", "periods", "kpis", "measures", "disclosure"], tables.Select(t => t.Metadata.Table));
        var teams = tables[0];
        Assert.Equal(2, teams.Metadata.RowCount);
        Assert.Equal(["T1", "T2"], teams.Rows.Select(r => r["team_id"]));
        Assert.Equal(3L, teams.Rows[0]["audits"]);
        Assert.StartsWith("20240630", teams.Metadata.SnapshotId, StringComparison.Ordinal);
        Assert.Contains(tables[2].Rows, r => (string?)r["kpi_code"] == "VISITS_IN_TIMESCALE" && (string?)r["theme"] == "Visiting");
        Assert.Contains(tables[1].Rows, r => (string?)r["financial_quarter_label"] == "2021/22 Q4");
    }

    [Fact]
    public async Task GetCatalogue_Measures_NameColumnsThatTheirRpcsReallyReturn()
    {
        var client = fixture.Client(0);
        var measures = (await ArrowClient.ReadAsync(client.GetCatalogue(new CatalogueRequest()))).Single(t => t.Metadata.Table == "measures").Rows;
        var columns = new Dictionary<string, HashSet<string>>
        {
            ["GetGradeDistribution"] = Columns(await ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest()))),
            ["GetModeration"] = Columns(await ArrowClient.ReadAsync(client.GetModeration(new ModerationRequest()))),
            ["GetAuditCompliance"] = Columns(await ArrowClient.ReadAsync(client.GetAuditCompliance(new AuditComplianceRequest()))),
            ["GetInadequateFollowUp"] = Columns(await ArrowClient.ReadAsync(client.GetInadequateFollowUp(new InadequateFollowUpRequest()))),
            ["GetComplaints"] = Columns(await ArrowClient.ReadAsync(client.GetComplaints(new ComplaintsRequest()))),
            ["GetKpiTrend"] = Columns(await ArrowClient.ReadAsync(client.GetKpiTrend(new KpiTrendRequest()))),
            ["GetTriangulation"] = Columns(await ArrowClient.ReadAsync(client.GetTriangulation(new TriangulationRequest()))),
        };
        Assert.NotEmpty(measures);
        Assert.All(measures, m =>
        {
            var publishedIn = ((string)m["published_in"]!).Split(", ");
            Assert.Contains($"Query.{m["name"]}", publishedIn);
            foreach (var (rpc, column) in publishedIn.Where(p => !p.StartsWith("Query.", StringComparison.Ordinal)).Select(p => (p[..p.IndexOf('.')], p[(p.IndexOf('.') + 1)..])))
            {
                Assert.Contains(column, columns[rpc]);
            }
        });
        // Every measure answers the generic query under its own name, with its denominator beside it.
        foreach (var m in measures)
        {
            var name = (string)m["name"]!;
            var query = new QueryRequest { Measures = { name } };
            if (((string)m["source"]!).Contains("kpi", StringComparison.Ordinal)) query.Dimensions.Add("kpi_code");
            var published = Columns(await ArrowClient.ReadAsync(client.Query(query)));
            Assert.Contains(name, published);
            if (m["denominator"] is string denominator) Assert.Contains(denominator, published);
        }

        static HashSet<string> Columns(List<QaAnalytics.Testing.Client.DecodedTable> tables) =>
            tables.SelectMany(t => t.Rows.Take(1).SelectMany(r => r.Keys)).ToHashSet();
    }

    [Fact]
    public async Task GetGradeDistribution_TeamByQuarter_MatchesHandWorkedCounts()
    {
        var request = new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter };
        var table = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(request))).Single();

        Assert.Equal(3, table.Metadata.RowCount);
        // T1 in 2021/22 Q4: A1 Good; A2 RI moderated to Inadequate; A9 Inadequate.
        var t1 = table.Rows.Single(r => (string?)r["team_id"] == "T1" && (string?)r["period"] == "2021/22 Q4");
        Assert.Equal(3L, t1["audits"]);
        Assert.Equal((1L, 2L), (t1["effective_good"], t1["effective_inadequate"]));
        Assert.Equal((1L, 1L, 1L), (t1["original_good"], t1["original_requires_improvement"], t1["original_inadequate"]));
        Assert.Equal(1.0 / 3.0, (double)t1["effective_good_share"]!, 12);
        Assert.Equal(2.0 / 3.0, (double)t1["effective_inadequate_share"]!, 12);
        Assert.Equal(1L, t1["moderated"]);
        Assert.Equal(false, t1["suppressed"]);
        Assert.Equal(1.0 / 3.0, (double)t1["effective_good_or_better_share"]!, 12);
        Assert.Null(t1["previous_period"]);
        // T2: 2021/22 Q4 all Good or better (A3), 2022/23 Q1 none (A4 RI): change -1 (100 points down).
        var t2Next = table.Rows.Single(r => (string?)r["team_id"] == "T2" && (string?)r["period"] == "2022/23 Q1");
        Assert.Equal(("2021/22 Q4", 1.0, 0.0, -1.0), (t2Next["previous_period"], t2Next["previous_effective_good_or_better_share"], t2Next["effective_good_or_better_share"], t2Next["change_effective_good_or_better_share"]));
        // T2 in 2021/22 Q4: A3 Outstanding moderated to Good.
        var t2 = table.Rows.Single(r => (string?)r["team_id"] == "T2" && (string?)r["period"] == "2021/22 Q4");
        Assert.Equal((1L, 0L), (t2["effective_good"], t2["effective_outstanding"]));
        Assert.Equal(1L, t2["original_outstanding"]);
    }

    [Fact]
    public async Task GetGradeDistribution_SmallCounts_AreWithheldByDefault()
    {
        var request = new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter };
        var table = (await ArrowClient.ReadAsync(fixture.Client(5).GetGradeDistribution(request))).Single();

        Assert.Contains(table.Metadata.Notes, n => n.Contains("withheld", StringComparison.Ordinal));
        Assert.All(table.Rows, r =>
        {
            Assert.Equal(true, r["suppressed"]);
            Assert.Null(r["audits"]);
            // Every grade count is withheld or zero, and so is every share of a withheld count.
            foreach (var grade in new[] { "outstanding", "good", "requires_improvement", "inadequate" })
            {
                Assert.True(r["effective_" + grade] is null or 0L);
                Assert.True(r["effective_" + grade] is not null || r["effective_" + grade + "_share"] is null);
            }
        });
        // Zeros stay visible: they disclose nothing.
        Assert.Equal(0L, table.Rows[0]["effective_outstanding"]);
    }

    [Fact]
    public async Task GetGradeDistribution_FiltersAndCouncilLevel_CountOnlyWhatIsAsked()
    {
        var request = new GradeDistributionRequest
        {
            Grain = TimeGrain.All,
            Period = new PeriodRange { FromMonth = "2022-01", ToMonth = "2022-03" },
            AuditTypes = { "case", "re-audit" },
        };
        var row = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(request))).Single().Rows.Single();

        // January-March 2022, case and re-audit: A1, A2, A9 (A3 is collaborative, A4 is April).
        Assert.Equal(("938", "all", 3L), (row["la_code"], row["period"], row["audits"]));
    }

    [Fact]
    public async Task GetGradeDistribution_Rolling12Months_SumsEachUnitsTrailingYear()
    {
        var request = new GradeDistributionRequest { Grain = TimeGrain.Rolling12Months, Period = new PeriodRange { FromMonth = "2022-03", ToMonth = "2022-04" } };
        var rows = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(request))).Single().Rows;

        // To March 2022: A1 Good, A2 Inadequate, A3 Good, A9 Inadequate (2 of 4). To April: A4 RI too (2 of 5).
        Assert.Equal(["12 months to 2022-03", "12 months to 2022-04"], rows.Select(r => r["period"]));
        Assert.Equal((4L, 0.5), (rows[0]["audits"], rows[0]["effective_good_or_better_share"]));
        Assert.Equal((5L, 0.4), (rows[1]["audits"], rows[1]["effective_good_or_better_share"]));
        Assert.Equal(-0.1, (double)rows[1]["change_effective_good_or_better_share"]!, 12);
    }

    [Theory]
    [InlineData("2022-13", "", "period.from_month")]
    [InlineData("2022-05", "2022-01", "period")]
    [InlineData("", "22/01", "period.to_month")]
    public async Task GetGradeDistribution_BadPeriod_IsInvalidArgumentNamingTheField(string from, string to, string field)
    {
        var request = new GradeDistributionRequest { Period = new PeriodRange { FromMonth = from, ToMonth = to } };
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(5).GetGradeDistribution(request)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field + ":", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGradeDistribution_UnknownAuditType_IsInvalidArgument()
    {
        var request = new GradeDistributionRequest { AuditTypes = { "audit'; DROP TABLE fact_audit; --" } };
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(5).GetGradeDistribution(request)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task GetTriangulation_DeadlinePassed_IsDeadlineExceededNotUnknown()
    {
        // Straight to the service class with a call whose deadline has passed: over the wire the
        // client may give up first, which would not show what the server answers.
        var options = Microsoft.Extensions.Options.Options.Create(new QaAnalytics.Service.ServiceOptions { DatabasePath = fixture.DbPath });
        var snapshots = new QaAnalytics.Service.Snapshots.SnapshotSource(options);
        var service = new QaAnalytics.Service.Grpc.QaAnalyticsService(
            new QaAnalytics.Service.Queries.AnalyticsQueries(snapshots, options),
            new QaAnalytics.Service.Queries.ResultRunner(snapshots, new QaAnalytics.Service.Caching.ResultCache(), new QaAnalytics.Service.Gate.QueryGate(1),
                new QaAnalytics.Service.Security.CallerResolver(Microsoft.Extensions.Options.Options.Create(new QaAnalytics.Service.Security.AuthOptions { Mode = QaAnalytics.Service.Security.AuthMode.Development })),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<QaAnalytics.Service.Queries.ResultRunner>.Instance));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = new ExpiredCallContext(cancelled.Token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => service.GetTriangulation(new TriangulationRequest(), new DiscardingWriter(), context));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        snapshots.Dispose();
    }

    private sealed class DiscardingWriter : IServerStreamWriter<ArrowChunk>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(ArrowChunk message) => Task.CompletedTask;
    }

    private sealed class ExpiredCallContext(CancellationToken token) : ServerCallContext
    {
        protected override string MethodCore => "/qaanalytics.v1.QaAnalytics/GetTriangulation";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.UtcNow.AddSeconds(-1);
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => token;
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }

    [Fact]
    public async Task GetGradeDistribution_UnknownTeam_IsNotFound()
    {
        var request = new GradeDistributionRequest { Scope = new Scope { TeamIds = { "T99" } } };
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(5).GetGradeDistribution(request)));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetGradeDistribution_ScopeValuesAreParameters_NotSql()
    {
        var request = new GradeDistributionRequest { Scope = new Scope { LaCodes = { "938' OR '1'='1" } } };
        var table = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(request))).Single();
        Assert.Empty(table.Rows);
    }
}
