using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>Issue 14 §3: one time-grain descriptor — column, label, previous period and look-back — checked against the UK financial calendar.</summary>
public sealed class PeriodGrainTests
{
    [Fact]
    public void Of_Unspecified_IsTheFinancialQuarter()
    {
        Assert.Same(PeriodGrain.FinancialQuarter, PeriodGrain.Of(TimeGrain.Unspecified));
        Assert.Same(PeriodGrain.Default, PeriodGrain.Of(TimeGrain.Unspecified));
    }

    [Fact]
    public void Of_UnknownWireValue_BadArgumentNamingGrain()
    {
        var ex = Assert.Throws<BadArgumentException>(() => PeriodGrain.Of((TimeGrain)42));
        Assert.Equal("grain", ex.Field);
    }

    [Theory]
    [InlineData(TimeGrain.Month, "month_label")]
    [InlineData(TimeGrain.FinancialQuarter, "financial_quarter_label")]
    [InlineData(TimeGrain.FinancialYear, "financial_year")]
    [InlineData(TimeGrain.All, "'all'")]
    [InlineData(TimeGrain.Rolling12Months, "month_label")]
    public void Column_EachGrain_TheViewsLabelColumn(TimeGrain wire, string column) => Assert.Equal(column, PeriodGrain.Of(wire).Column);

    [Theory]
    [InlineData(TimeGrain.Month, "2022-03-15", "2022-03")]
    [InlineData(TimeGrain.FinancialQuarter, "2022-03-15", "2021/22 Q4")]  // Quarter 4 2021/22 is January–March 2022
    [InlineData(TimeGrain.FinancialQuarter, "2022-04-01", "2022/23 Q1")]
    [InlineData(TimeGrain.FinancialYear, "2022-03-31", "2021/22")]
    [InlineData(TimeGrain.FinancialYear, "2022-04-01", "2022/23")]
    [InlineData(TimeGrain.All, "2022-04-01", "all")]
    [InlineData(TimeGrain.Rolling12Months, "2024-03-10", "12 months to 2024-03")]
    public void Label_AMonth_AsTheViewsWriteIt(TimeGrain wire, string date, string label) =>
        Assert.Equal(label, PeriodGrain.Of(wire).Label(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(TimeGrain.Month, "2024-01", "2023-12")]
    [InlineData(TimeGrain.FinancialQuarter, "2024/25 Q1", "2023/24 Q4")]  // Q1's previous is the previous year's Q4
    [InlineData(TimeGrain.FinancialQuarter, "2023/24 Q4", "2023/24 Q3")]
    [InlineData(TimeGrain.FinancialYear, "2000/01", "1999/00")]
    [InlineData(TimeGrain.Rolling12Months, "12 months to 2024-01", "12 months to 2023-12")]
    public void Previous_ALabel_ThePeriodBefore(TimeGrain wire, string label, string previous) =>
        Assert.Equal(previous, PeriodGrain.Of(wire).Previous(label));

    [Fact]
    public void Previous_All_None() => Assert.Null(PeriodGrain.All.Previous("all"));

    [Fact]
    public void Lookback_MidQuarter_TheWholeQuarterBefore()
    {
        var back = PeriodGrain.FinancialQuarter.Lookback(new DateOnly(2024, 5, 1));
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)), back);
    }

    [Fact]
    public void Lookback_Year_TheFinancialYearBefore() =>
        Assert.Equal((new DateOnly(2022, 4, 1), new DateOnly(2023, 3, 1)), PeriodGrain.FinancialYear.Lookback(new DateOnly(2023, 9, 1)));

    [Fact]
    public void Lookback_AllAndRolling_None()
    {
        Assert.Null(PeriodGrain.All.Lookback(new DateOnly(2023, 9, 1)));
        Assert.Null(PeriodGrain.Rolling12Months.Lookback(new DateOnly(2023, 9, 1)));
    }

    [Theory]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("2021/22 Q4", "2022-01-01", "2022-03-31")]
    [InlineData("2021/22", "2021-04-01", "2022-03-31")]
    [InlineData("12 months to 2024-03", "2023-04-01", "2024-03-31")]
    public void Span_ALabel_ItsFirstAndLastDay(string label, string start, string end)
    {
        var span = PeriodLabels.Span(label);
        Assert.Equal((DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture)), span);
    }

    [Fact]
    public void Span_AllOrNoShape_Null()
    {
        Assert.Null(PeriodLabels.Span("all"));
        Assert.Null(PeriodLabels.Span("2024 Q5"));
    }

    [Fact]
    public void Every_LabelThenPrevious_IsTheLabelOfTheMonthsBefore()
    {
        foreach (var grain in PeriodGrain.Every.Where(g => g.Months > 0))
        {
            for (var month = new DateOnly(2019, 1, 1); month < new DateOnly(2021, 1, 1); month = month.AddMonths(1))
            {
                Assert.Equal(grain.Label(month.AddMonths(-grain.Months)), grain.Previous(grain.Label(month)));
            }
        }
    }
}
