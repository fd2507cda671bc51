using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Tests.Models.Calendar;

public class FinancialPeriodTests
{
    [Theory]
    [InlineData("2022-03-31", 2021, "2021/22", 4, "2021/22 Q4", "2022-01-01")]
    [InlineData("2022-04-01", 2022, "2022/23", 1, "2022/23 Q1", "2022-04-01")]
    [InlineData("2022-06-30", 2022, "2022/23", 1, "2022/23 Q1", "2022-04-01")]
    [InlineData("2022-07-01", 2022, "2022/23", 2, "2022/23 Q2", "2022-07-01")]
    [InlineData("2022-09-30", 2022, "2022/23", 2, "2022/23 Q2", "2022-07-01")]
    [InlineData("2022-10-01", 2022, "2022/23", 3, "2022/23 Q3", "2022-10-01")]
    [InlineData("2022-12-31", 2022, "2022/23", 3, "2022/23 Q3", "2022-10-01")]
    [InlineData("2023-01-01", 2022, "2022/23", 4, "2022/23 Q4", "2023-01-01")]
    [InlineData("2024-02-29", 2023, "2023/24", 4, "2023/24 Q4", "2024-01-01")]
    [InlineData("2000-01-15", 1999, "1999/00", 4, "1999/00 Q4", "2000-01-01")]
    [InlineData("2009-05-05", 2009, "2009/10", 1, "2009/10 Q1", "2009-04-01")]
    public void Periods_ForDate_MatchUkFinancialYear(string date, int startYear, string yearLabel, int quarter, string quarterLabel, string quarterStart)
    {
        var d = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(startYear, FinancialPeriod.StartYear(d));
        Assert.Equal(yearLabel, FinancialPeriod.YearLabel(d));
        Assert.Equal(quarter, FinancialPeriod.Quarter(d));
        Assert.Equal(quarterLabel, FinancialPeriod.QuarterLabel(d));
        Assert.Equal(DateOnly.Parse(quarterStart, System.Globalization.CultureInfo.InvariantCulture), FinancialPeriod.QuarterStart(d));
        Assert.Equal(new DateOnly(startYear, 4, 1), FinancialPeriod.YearStart(d));
    }

    [Theory]
    [InlineData(1999, "1999/00")]
    [InlineData(2009, "2009/10")]
    [InlineData(2021, "2021/22")]
    [InlineData(2099, "2099/00")]
    public void YearLabel_StartYear_TwoDigitEnd(int startYear, string expected)
    {
        Assert.Equal(expected, FinancialPeriod.YearLabel(startYear));
    }

    [Fact]
    public void Quarter_EveryMonth_AprilIsQ1MarchIsQ4()
    {
        int[] expected = [4, 4, 4, 1, 1, 1, 2, 2, 2, 3, 3, 3];
        for (var month = 1; month <= 12; month++)
        {
            Assert.Equal(expected[month - 1], FinancialPeriod.Quarter(new DateOnly(2023, month, 10)));
        }
    }

    [Fact]
    public void QuarterStart_EveryDayOf2023_IsInSameQuarterAndOnOrBeforeDate()
    {
        for (var d = new DateOnly(2023, 1, 1); d.Year == 2023; d = d.AddDays(1))
        {
            var start = FinancialPeriod.QuarterStart(d);
            Assert.True(start <= d);
            Assert.Equal(1, start.Day);
            Assert.Equal(FinancialPeriod.QuarterLabel(d), FinancialPeriod.QuarterLabel(start));
            Assert.NotEqual(FinancialPeriod.QuarterLabel(d), FinancialPeriod.QuarterLabel(start.AddDays(-1)));
        }
    }
}
