using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Queries;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>GetTriangulation against the hand-made dataset, and its divergence and correlation rules.</summary>
public sealed class TriangulationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task GetTriangulation_VisitingBesideVisitsInTimescale_MatchesHandWorkedFigures()
    {
        var tables = await ArrowClient.ReadAsync(fixture.Client(0).GetTriangulation(new TriangulationRequest()));

        Assert.Equal(["triangulation", "theme_correlation"], tables.Select(t => t.Metadata.Table));
        // T1, 2021/22 Q4, Visiting: A1 Good, A2 "3" (RI), A9 Inadequate; visits 8/10 in January and 9/12 in February.
        var row = tables[0].Rows.Single(r => (string?)r["team_id"] == "T1" && (string?)r["period"] == "2021/22 Q4" && (string?)r["theme"] == "Visiting");
        Assert.Equal(("VISITS_IN_TIMESCALE", 3L, 1L), (row["kpi_code"], row["audits"], row["good_or_better"]));
        Assert.Equal(1.0 / 3.0, (double)row["share_good_or_better"]!, 12);
        Assert.Equal((3 + 2 + 1) / 3.0, (double)row["mean_grade_score"]!, 12);
        Assert.Equal((22L, 17L), (row["kpi_denominator"], row["kpi_numerator"]));
        Assert.Equal(100.0 * 17 / 22, (double)row["kpi_rate"]!, 10);
        Assert.Equal(90.0, row["target"]);
        Assert.Equal(0L, row["complaints"]);
        Assert.Null(row["divergence"]);  // only 3 theme grades: fewer than the default 6
        // A KPI with no audits of its theme still appears, beside zero audits: T2 plans reviewed 0 of 0.
        var plan = tables[0].Rows.Single(r => (string?)r["team_id"] == "T2" && (string?)r["theme"] == "Plan");
        Assert.Equal((0L, 0L), (plan["audits"], plan["kpi_denominator"]));
        Assert.Null(plan["kpi_rate"]);
    }

    [Fact]
    public async Task GetTriangulation_Thresholds_FlagCompliantButNotGood()
    {
        var request = new TriangulationRequest { MinAudits = 1, ComplianceHighPercent = 75, QualityLowShare = 0.5 };
        var table = (await ArrowClient.ReadAsync(fixture.Client(0).GetTriangulation(request)))[0];

        var row = table.Rows.Single(r => (string?)r["team_id"] == "T1" && (string?)r["period"] == "2021/22 Q4" && (string?)r["theme"] == "Visiting");
        Assert.Equal(AnalyticsQueries.CompliantNotGood, row["divergence"]);
        Assert.Contains(table.Metadata.Notes, n => n.Contains("75%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTriangulation_SmallCounts_WithholdCountsSharesAndFlags()
    {
        var table = (await ArrowClient.ReadAsync(fixture.Client(5).GetTriangulation(new TriangulationRequest { MinAudits = 1 })))[0];
        var row = table.Rows.Single(r => (string?)r["team_id"] == "T1" && (string?)r["period"] == "2021/22 Q4" && (string?)r["theme"] == "Visiting");
        Assert.Equal((true, null, null, null, null), (row["suppressed"], row["audits"], row["share_good_or_better"], row["mean_grade_score"], row["divergence"]));
    }

    [Theory]
    [InlineData(150, 0, "compliance_high_percent")]
    [InlineData(0, -1, "quality_low_share")]
    public async Task GetTriangulation_BadThreshold_IsInvalidArgumentNamingTheField(double complianceHigh, double qualityLow, string field)
    {
        var request = new TriangulationRequest { ComplianceHighPercent = complianceHigh, QualityLowShare = qualityLow };
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(5).GetTriangulation(request)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Divergence_GoodPracticeWithLowCompliance_IsFlaggedTheOtherWay()
    {
        var thresholds = AnalyticsQueries.Thresholds.From(new TriangulationRequest());
        // 10 Supervision grades, 7 Good or better (70%), KPI 12/20 = 60% against target 90.
        Assert.Equal(AnalyticsQueries.GoodNotCompliant, AnalyticsQueries.Divergence(10, 0.7, 60, 90, thresholds));
        Assert.Null(AnalyticsQueries.Divergence(5, 0.8, 60, 90, thresholds));  // fewer than 6 grades
        Assert.Null(AnalyticsQueries.Divergence(10, null, 60, 90, thresholds));  // share withheld
        Assert.Equal(AnalyticsQueries.CompliantNotGood, AnalyticsQueries.Divergence(10, 0.2, 95, 90, thresholds));  // 95% ≥ target 90, share 20%
    }

    [Fact]
    public void Spearman_UsesAverageRanksForTies()
    {
        // ranks x = 1..5; y = 5,6,7,8,7 ranks 1,2,3.5,5,3.5: rho = 8 / sqrt(10 × 9.5).
        Assert.Equal(8 / Math.Sqrt(95), AnalyticsQueries.Spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])!.Value, 12);
        Assert.Equal(-1.0, AnalyticsQueries.Spearman([1, 2, 3], [9, 8, 7])!.Value, 12);
        Assert.Null(AnalyticsQueries.Spearman([1, 2, 3], [4, 4, 4]));
    }
}
