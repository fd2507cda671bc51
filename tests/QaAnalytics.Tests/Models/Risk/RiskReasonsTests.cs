using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Models.Risk;

public sealed class RiskReasonsTests
{
    private static readonly Dictionary<string, double> Means = new(StringComparer.Ordinal)
    {
        ["supervision_rate"] = 80, ["caseload"] = 16.8, ["downgrade_rate"] = 0.10,
    };

    private static string? Text(string column, TeamQuarter row) => RiskReasons.Describe(RiskFeatures.Get(column), row, Means)?.Text;

    [Fact]
    public void Describe_ChangeForTheWorse_SaysFromAndTo()
    {
        Assert.Equal("Agency-worker rate rose from 18% to 35%", Text("agency_rate_change_1", new TeamQuarter { AgencyRate = 35f, AgencyRateChange1 = 17f }));
        Assert.Equal("Caseload (children per worker) rose from 16.8 to 17.9 over two quarters", Text("caseload_change_2", new TeamQuarter { Caseload = 17.9f, CaseloadChange2 = 1.1f }));
    }

    [Fact]
    public void Describe_ImprovementOrUnchanged_IsNoReason()
    {
        // Agency rate fell: an improvement is never worded as a risk.
        Assert.Null(Text("agency_rate_change_1", new TeamQuarter { AgencyRate = 18f, AgencyRateChange1 = -5f }));
        // Unchanged once written out: "33% (last quarter 33%)" is nothing to act on.
        Assert.Null(Text("stage1_on_time_rate", new TeamQuarter { Stage1OnTimeRate = 0.33f }));
        Assert.Null(Text("visits_rate", new TeamQuarter { VisitsRate = 90f, }));
        // Supervision above the usual across teams is better, not a risk.
        Assert.Null(Text("supervision_rate", new TeamQuarter { SupervisionRate = 85f }));
    }

    [Fact]
    public void Describe_LevelWorseThanUsual_ComparesWithTheUsual()
    {
        Assert.Equal("Supervision in timescale 71%, below the 80% usual across teams", Text("supervision_rate", new TeamQuarter { SupervisionRate = 71f }));
    }

    [Fact]
    public void Describe_BareCountOrNeutralMeasure_IsNoReason()
    {
        Assert.Null(Text("audits", new TeamQuarter { Audits = 13 }));
        Assert.Null(Text("inadequate_audits", new TeamQuarter { InadequateAudits = 0 }));
        Assert.Null(Text("inadequate_audits", new TeamQuarter { InadequateAudits = 7 }));
    }

    [Fact]
    public void Describe_GradesAboveTheTeamsUsual_SaysPartIsAReturnToUsual()
    {
        var row = new TeamQuarter { GoodOrBetterShare = 0.58f, GoodOrBetterVsYear = 0.19f, GoodOrBetterChange1 = 0.2f };

        var level = RiskReasons.Describe(RiskFeatures.Get("good_or_better_share"), row, Means);
        var change = RiskReasons.Describe(RiskFeatures.Get("good_or_better_change_1"), row, Means);

        Assert.Equal("The latest quarter was above this team's usual (share of audits Good or better 58% against 39% over the previous four quarters): part of the predicted fall is a return to usual", level?.Text);
        Assert.Equal(RiskReasons.ReturnToUsual, level?.Key);
        Assert.Equal(level, change);
    }

    [Fact]
    public void Describe_GradesFalling_SaysTheyFell()
    {
        Assert.Equal("Mean audit grade score fell from 2.80 to 2.50", Text("mean_score_change_1", new TeamQuarter { MeanGradeScore = 2.5f, MeanScoreChange1 = -0.3f }));
    }

    [Fact]
    public void Format_SmallCount_IsWithheld()
    {
        Assert.Equal("1–5 (small number withheld)", RiskReasons.Format(FeatureUnit.Count, 3));
        Assert.Equal("7", RiskReasons.Format(FeatureUnit.Count, 7));
    }
}
