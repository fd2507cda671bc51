using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetKpiTrend over the hand-made dataset. The loaded KPI rows: T1 VISITS_IN_TIMESCALE 8/10
/// (Jan 2022) and 9/12 (Feb 2022), target 90, higher is better; T1 CASELOAD 17.5 (Jan 2022),
/// target 18, lower is better; T2 PLANS_REVIEWED_ON_TIME 0/0 (Jan 2022). The other four rows are
/// rejected.
/// </summary>
public sealed class KpiTrendTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<DecodedTable> Read(KpiTrendRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).GetKpiTrend(request))).Single();

    [Fact]
    public async Task GetKpiTrend_TeamByQuarter_RatesFromSummedCountsWithRag()
    {
        var table = await Read(new KpiTrendRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter });

        Assert.Equal("kpi_trend", table.Metadata.Table);
        Assert.Equal([("T1", "CASELOAD"), ("T1", "VISITS_IN_TIMESCALE"), ("T2", "PLANS_REVIEWED_ON_TIME")],
            table.Rows.Select(r => ((string?)r["team_id"], (string?)r["kpi_code"])));
        Assert.All(table.Rows, r => Assert.Equal("2021/22 Q4", r["period"]));
        // Visits: (8 + 9) / (10 + 12) = 77.27%, not the mean of 80% and 75%; 12.7 points under 90 → red.
        var visits = table.Rows[1];
        Assert.Equal((2L, 17L, 22L), (visits["n"], visits["numerator"], visits["denominator"]));
        Assert.Equal(100.0 * 17 / 22, (double)visits["value"]!, 10);
        Assert.Equal((90.0, "red", "higher_is_better"), (visits["target"], visits["rag"], visits["polarity"]));
        // Caseload 17.5 against 18, lower is better → green; a single figure has no numerator.
        var caseload = table.Rows[0];
        Assert.Equal((1L, 17.5, 18.0, "green"), (caseload["n"], caseload["value"], caseload["target"], caseload["rag"]));
        Assert.Equal(("count", null, null), (caseload["unit"], caseload["numerator"], caseload["denominator"]));
        // Plans 0/0: nothing due, so no rate and no RAG.
        var plans = table.Rows[2];
        Assert.Equal((0L, 0L, null, null), (plans["numerator"], plans["denominator"], plans["value"], plans["rag"]));
        Assert.Equal(false, plans["suppressed"]);
    }

    [Fact]
    public async Task GetKpiTrend_KpiCodesByMonth_EachMonthItsOwnRate()
    {
        var table = await Read(new KpiTrendRequest { Grain = TimeGrain.Month, KpiCodes = { " visits_in_timescale " } });

        // January 8/10 = 80% (10 under → red); February 9/12 = 75% (red).
        Assert.Equal([("2022-01", 80.0, "red"), ("2022-02", 75.0, "red")],
            table.Rows.Select(r => ((string?)r["period"], (double)r["value"]!, (string?)r["rag"])));
        Assert.All(table.Rows, r => Assert.Equal("938", r["la_code"]));
    }

    [Theory]
    [InlineData(90.0, 90.0, "higher_is_better", "green")]
    [InlineData(85.0, 90.0, "higher_is_better", "amber")]
    [InlineData(84.9, 90.0, "higher_is_better", "red")]
    [InlineData(18.0, 18.0, "lower_is_better", "green")]
    [InlineData(23.0, 18.0, "lower_is_better", "amber")]
    [InlineData(23.1, 18.0, "lower_is_better", "red")]
    [InlineData(12.0, 18.0, "lower_is_better", "green")]
    public void Rag_FollowsPolarityWithFivePointsOfAmber(double value, double target, string polarity, string expected)
    {
        Assert.Equal(expected, AnalyticsQueries.Rag(value, target, polarity));
    }

    [Fact]
    public void Rag_NoValueOrNoTarget_IsNull()
    {
        Assert.Null(AnalyticsQueries.Rag(null, 90, "higher_is_better"));
        Assert.Null(AnalyticsQueries.Rag(80, null, "higher_is_better"));
    }

    [Fact]
    public async Task GetKpiTrend_SmallCounts_WithholdTheRateAndItsRag()
    {
        var table = await Read(new KpiTrendRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter }, suppress: 5);

        // Visits 17/22: 5 not met is small, so it and the 17 are withheld; the denominator is shown.
        var visits = table.Rows.Single(r => (string?)r["kpi_code"] == "VISITS_IN_TIMESCALE");
        Assert.Equal((null, 22L, null, null, true), (visits["numerator"], visits["denominator"], visits["value"], visits["rag"], visits["suppressed"]));
        // A single figure is not a count of children: shown.
        var caseload = table.Rows.Single(r => (string?)r["kpi_code"] == "CASELOAD");
        Assert.Equal((17.5, "green", false), (caseload["value"], caseload["rag"], caseload["suppressed"]));
    }

    [Fact]
    public async Task GetKpiTrend_UnknownKpiOrTeam_IsNotFound_BadPeriodIsInvalidArgument()
    {
        var kpi = await Assert.ThrowsAsync<RpcException>(() => Read(new KpiTrendRequest { KpiCodes = { "VISITS_IN_TIMESCALE", "NOT_A_KPI" } }));
        Assert.Equal(StatusCode.NotFound, kpi.StatusCode);
        Assert.Contains("NOT_A_KPI", kpi.Status.Detail, StringComparison.Ordinal);

        var team = await Assert.ThrowsAsync<RpcException>(() => Read(new KpiTrendRequest { Scope = new Scope { TeamIds = { "T99" } } }));
        Assert.Equal(StatusCode.NotFound, team.StatusCode);

        var period = await Assert.ThrowsAsync<RpcException>(() => Read(new KpiTrendRequest { Period = new PeriodRange { FromMonth = "2014-12" } }));
        Assert.Equal(StatusCode.InvalidArgument, period.StatusCode);
        Assert.StartsWith("period.from_month:", period.Status.Detail, StringComparison.Ordinal);
    }
}
