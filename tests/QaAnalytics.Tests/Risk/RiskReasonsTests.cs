using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Risk;

public sealed class RiskReasonsTests
{
    [Fact]
    public void Describe_ChangeFeature_SaysFromAndTo()
    {
        var row = new TeamQuarter { AgencyRate = 35f, AgencyRateChange1 = 17f };

        Assert.Equal("Agency-worker rate rose from 18% to 35%", RiskReasons.Describe(RiskFeatures.Get("agency_rate_change_1"), row, null));
    }

    [Fact]
    public void Describe_LevelFeature_GivesLastQuarterToo()
    {
        var row = new TeamQuarter { SupervisionRate = 71f };
        var before = new TeamQuarter { SupervisionRate = 85f };

        Assert.Equal("Supervision in timescale: 71% (last quarter 85%)", RiskReasons.Describe(RiskFeatures.Get("supervision_rate"), row, before));
    }

    [Fact]
    public void Describe_SmallCount_IsWithheld()
    {
        Assert.Equal("Inadequate audits: 1–5 (small number withheld)", RiskReasons.Describe(RiskFeatures.Get("inadequate_audits"), new TeamQuarter { InadequateAudits = 3 }, null));
        Assert.Equal("Inadequate audits: 7", RiskReasons.Describe(RiskFeatures.Get("inadequate_audits"), new TeamQuarter { InadequateAudits = 7 }, null));
    }
}
