using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Kpis;

namespace QaAnalytics.Tests.Models.Kpis;

public class KpiCatalogueTests
{
    public static TheoryData<Theme, string> Pairs => new()
    {
        { Theme.Visiting, KpiCatalogue.VisitsInTimescale },
        { Theme.Supervision, KpiCatalogue.SupervisionInTimescale },
        { Theme.Assessment, KpiCatalogue.AssessmentsIn45Days },
        { Theme.Chronology, KpiCatalogue.ChronologyUpToDate },
        { Theme.Plan, KpiCatalogue.PlansReviewedOnTime },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void PairedWith_EachFocus5Theme_IsTheDomainPair(Theme theme, string code)
    {
        var kpi = KpiCatalogue.PairedWith(theme);
        Assert.Equal(code, kpi.Code);
        Assert.Equal(theme, kpi.Theme);
        Assert.True(kpi.IsRate);
        Assert.Equal(Polarity.HigherIsBetter, kpi.Polarity);
    }

    [Fact]
    public void BuiltIn_EveryTheme_ExactlyOneKpi()
    {
        foreach (var theme in ThemeExtensions.All)
        {
            Assert.Single(KpiCatalogue.BuiltIn, k => k.Theme == theme);
        }
    }

    [Fact]
    public void BuiltIn_Codes_UniqueUpperSnakeCase()
    {
        var codes = KpiCatalogue.BuiltIn.Select(k => k.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9_]+$", c));
    }

    [Fact]
    public void BuiltIn_RateKpis_HaveTargetBetweenZeroAndHundred()
    {
        Assert.All(KpiCatalogue.BuiltIn.Where(k => k.IsRate), k =>
        {
            Assert.NotNull(k.Target);
            Assert.InRange(k.Target!.Value, 0, 100);
        });
    }

    [Fact]
    public void BuiltIn_Definitions_HaveNameAndDescription()
    {
        Assert.All(KpiCatalogue.BuiltIn, k =>
        {
            Assert.False(string.IsNullOrWhiteSpace(k.Name));
            Assert.False(string.IsNullOrWhiteSpace(k.Description));
        });
    }

    [Theory]
    [InlineData(KpiCatalogue.Caseload, KpiUnit.Count, Polarity.LowerIsBetter)]
    [InlineData(KpiCatalogue.AgencyWorkerRate, KpiUnit.Percent, Polarity.LowerIsBetter)]
    [InlineData(KpiCatalogue.IcpcIn15Days, KpiUnit.Rate, Polarity.HigherIsBetter)]
    [InlineData(KpiCatalogue.ContactDecisionIn1Day, KpiUnit.Rate, Polarity.HigherIsBetter)]
    public void BuiltIn_UnpairedKpis_UnitAndPolarity(string code, KpiUnit unit, Polarity polarity)
    {
        var kpi = KpiCatalogue.BuiltIn.Single(k => k.Code == code);
        Assert.Equal(unit, kpi.Unit);
        Assert.Equal(polarity, kpi.Polarity);
        Assert.Null(kpi.Theme);
    }

    [Theory]
    [InlineData(KpiCatalogue.AssessmentsIn45Days, "45 working days")]
    [InlineData(KpiCatalogue.IcpcIn15Days, "15 working days")]
    [InlineData(KpiCatalogue.ContactDecisionIn1Day, "1 working day")]
    [InlineData(KpiCatalogue.VisitsInTimescale, "6 weeks")]
    public void BuiltIn_StatutoryKpis_StateTheTimescale(string code, string timescale)
    {
        Assert.Contains(timescale, KpiCatalogue.BuiltIn.Single(k => k.Code == code).StatutoryTimescale);
    }
}
