using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// The generic Query RPC and the time intelligence every RPC shares, over the hand-made dataset
/// (HandMadeDataset): loaded audits A1 (T1, 10 Jan 2022, Good), A2 (T1, 15 Jan, RI moderated to
/// Inadequate), A3 (T2, 1 Feb, collaborative, Outstanding moderated to Good), A9 (T1, 31 Mar,
/// re-audit, Inadequate), A4 (T2, 5 Apr 2022, thematic, RI, moderation agreed); requests Q1, Q2 (T1,
/// both returned) and Q3 (T2, not returned) sent 4 Jan 2022; T1 visits 8/10 (Jan) and 9/12 (Feb).
/// </summary>
public sealed class SemanticQueryTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<DecodedTable> Query(QueryRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).Query(request))).Single();

    [Fact]
    public async Task Query_AShare_ComesWithItsCountsAndTheChangeOnThePreviousQuarter()
    {
        var table = await Query(new QueryRequest
        {
            Measures = { "effective_good_or_better_share" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, ComparePreviousPeriod = true,
        });

        Assert.Equal("query", table.Metadata.Table);
        var t1 = table.Rows.Single(r => (string?)r["team_id"] == "T1");
        // T1 2021/22 Q4: A1 Good of A1, A2, A9.
        Assert.Equal(("2021/22 Q4", 3L, 0L, 1L), (t1["period"], t1["audits"], t1["effective_outstanding"], t1["effective_good"]));
        Assert.Equal(1.0 / 3, (double)t1["effective_good_or_better_share"]!, 12);
        Assert.Null(t1["previous_period"]);
        // T2: 2021/22 Q4 A3 Good (1 of 1); 2022/23 Q1 A4 RI (0 of 1): change -1.
        var t2 = table.Rows.Single(r => (string?)r["team_id"] == "T2" && (string?)r["period"] == "2022/23 Q1");
        Assert.Equal(("2021/22 Q4", 1.0, -1.0), (t2["previous_period"], t2["previous_effective_good_or_better_share"], t2["change_effective_good_or_better_share"]));
        Assert.Equal(0.0, t2["change_audits"]);  // 1 audit against 1
    }

    [Fact]
    public async Task Query_PeriodRangeStartingMidway_ComparesWithThePeriodBeforeTheRange()
    {
        // Only 2022/23 Q1 is asked for; its previous quarter is read to compare with but not returned.
        var table = await Query(new QueryRequest
        {
            Measures = { "audits" }, Grain = TimeGrain.FinancialQuarter, ComparePreviousPeriod = true,
            Period = new PeriodRange { FromMonth = "2022-04", ToMonth = "2022-06" },
        });

        var row = Assert.Single(table.Rows);
        Assert.Equal(("2022/23 Q1", 1L, "2021/22 Q4", 4.0, -3.0), (row["period"], row["audits"], row["previous_period"], row["previous_audits"], row["change_audits"]));
    }

    [Fact]
    public async Task GradeDistribution_RangeAfterTheFirstQuarter_SameRowsAsTheWholeRangeFromThere()
    {
        // The look-back quarter is read and dropped; what is returned matches the unbounded call cell for cell.
        var all = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Team }))).Single();
        var later = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(
            new GradeDistributionRequest { GroupBy = OrgLevel.Team, Period = new PeriodRange { FromMonth = "2022-04" } }))).Single();

        var expected = all.Rows.Where(r => (string?)r["period"] == "2022/23 Q1").ToList();
        Assert.Equal(expected.Count, later.Rows.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], later.Rows[i]);
        Assert.Equal(("T2", "2021/22 Q4", -1.0), ((string?)later.Rows[0]["team_id"], (string?)later.Rows[0]["previous_period"], (double?)later.Rows[0]["change_effective_good_or_better_share"]));
    }

    [Fact]
    public async Task Query_MeasuresFromTwoSources_JoinOnTheirKeys()
    {
        var table = await Query(new QueryRequest { Measures = { "audits", "return_rate" }, GroupBy = OrgLevel.Team, Grain = TimeGrain.All });

        // T1: 3 audits (A1, A2, A9); requests Q1 and Q2 both returned. T2: A3, A4; Q3 not returned.
        Assert.Equal([("T1", 3L, 2L, 2L, 1.0), ("T2", 2L, 1L, 0L, 0.0)],
            table.Rows.Select(r => ((string?)r["team_id"], (long?)r["audits"], (long?)r["sent"], (long?)r["returned"], (double?)r["return_rate"])));
    }

    [Fact]
    public async Task Query_FilterAndDimension_CountOnlyWhatIsAsked()
    {
        var table = await Query(new QueryRequest
        {
            Measures = { "audits" }, Grain = TimeGrain.All, Dimensions = { "audit_type" },
            Filters = { new Filter { Dimension = "audit_type", Values = { "case", "re-audit" } } },
        });

        Assert.Equal([("case", 2L), ("re-audit", 1L)], table.Rows.Select(r => ((string?)r["audit_type"], (long?)r["audits"])));
    }

    [Fact]
    public async Task Query_KpiRateRolling12Months_SumsCountsOverEachWindow()
    {
        var table = await Query(new QueryRequest
        {
            Measures = { "kpi_rate" }, Dimensions = { "kpi_code" }, Grain = TimeGrain.Rolling12Months, ComparePreviousPeriod = true,
            Filters = { new Filter { Dimension = "kpi_code", Values = { "VISITS_IN_TIMESCALE" } } },
            Period = new PeriodRange { FromMonth = "2022-01", ToMonth = "2022-02" },
        });

        // To January: 8/10 = 80%. To February: 17/22, not the mean of 80% and 75%.
        Assert.Equal(["12 months to 2022-01", "12 months to 2022-02"], table.Rows.Select(r => r["period"]));
        Assert.Equal((10L, 80.0), (table.Rows[0]["kpi_denominator"], table.Rows[0]["kpi_rate"]));
        Assert.Equal(100.0 * 17 / 22, (double)table.Rows[1]["kpi_rate"]!, 10);
        Assert.Equal(("12 months to 2022-01", 100.0 * 17 / 22 - 80), (table.Rows[1]["previous_period"], (double)table.Rows[1]["change_kpi_rate"]!));
        Assert.Equal((90.0, "Visits in timescale"), (table.Rows[0]["target"], table.Rows[0]["kpi_name"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Query_AndTheRpcs_GiveTheSameFigureForTheSameMeasure(int suppress)
    {
        // Defined once: the grade and moderation RPCs and the generic query agree cell for cell, suppression included.
        var grades = (await ArrowClient.ReadAsync(fixture.Client(suppress).GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Team }))).Single();
        var moderation = (await ArrowClient.ReadAsync(fixture.Client(suppress).GetModeration(new ModerationRequest { GroupBy = OrgLevel.Team }))).Single();
        var query = await Query(new QueryRequest { Measures = { "effective_good_or_better_share", "moderated", "agreement_rate" }, GroupBy = OrgLevel.Team }, suppress);

        Assert.Equal(grades.Rows.Count, query.Rows.Count);
        for (var i = 0; i < query.Rows.Count; i++)
        {
            Assert.Equal(grades.Rows[i]["effective_good_or_better_share"], query.Rows[i]["effective_good_or_better_share"]);
            Assert.Equal(grades.Rows[i]["moderated"], query.Rows[i]["moderated"]);
            Assert.Equal(moderation.Rows[i]["moderated"], query.Rows[i]["moderated"]);
            Assert.Equal(moderation.Rows[i]["agreement_rate"], query.Rows[i]["agreement_rate"]);
        }
        if (suppress > 0) Assert.All(query.Rows, r => Assert.Equal(true, r["suppressed"]));  // every team has 1 to 5 audits
    }

    [Theory]
    [InlineData("not_a_measure", "", StatusCode.NotFound, "measures")]
    [InlineData("grade_score_sum", "", StatusCode.NotFound, "measures")]  // an internal sum, not a published measure
    [InlineData("", "", StatusCode.InvalidArgument, "measures")]
    [InlineData("audits", "colour", StatusCode.InvalidArgument, "dimensions")]
    [InlineData("audits", "kpi_code", StatusCode.InvalidArgument, "dimensions")]  // audits have no KPI
    [InlineData("kpi_rate", "", StatusCode.InvalidArgument, "dimensions")]  // rates of different KPIs do not add up
    public async Task Query_BadRequest_NamesTheField(string measure, string dimension, StatusCode code, string field)
    {
        var request = new QueryRequest();
        if (measure.Length > 0) request.Measures.Add(measure);
        if (dimension.Length > 0) request.Dimensions.Add(dimension);
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(0).Query(request)));
        Assert.Equal(code, ex.StatusCode);
        Assert.StartsWith(field, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rpcs_Rolling12MonthsAndPreviousPeriod_WorkBeyondGradeDistribution()
    {
        var period = new PeriodRange { FromMonth = "2022-03", ToMonth = "2022-03" };
        var triangulation = (await ArrowClient.ReadAsync(fixture.Client(0).GetTriangulation(
            new TriangulationRequest { Grain = TimeGrain.Rolling12Months, Period = period, GroupBy = OrgLevel.Council })))[0];
        var visiting = triangulation.Rows.Single(r => (string?)r["theme"] == "Visiting");
        // 12 months to March 2022: Visiting grades of A1, A2, A9; visits 17/22.
        Assert.Equal(("12 months to 2022-03", 3L, 22L), (visiting["period"], visiting["audits"], visiting["kpi_denominator"]));

        var compliance = (await ArrowClient.ReadAsync(fixture.Client(0).GetAuditCompliance(
            new AuditComplianceRequest { Grain = TimeGrain.Month, Period = new PeriodRange { FromMonth = "2022-01", ToMonth = "2022-02" } }))).Single();
        var january = Assert.Single(compliance.Rows);  // no requests in February
        Assert.Equal(("2022-01", 2.0 / 3, null), (january["period"], january["return_rate"], january["previous_period"]));
    }
}
