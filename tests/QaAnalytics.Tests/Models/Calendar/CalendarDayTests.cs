using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Tests.Models.Calendar;

public class CalendarDayTests
{
    private static readonly IReadOnlyList<CalendarDay> All = CalendarDay.Range(CalendarDay.First, CalendarDay.Last).ToList();

    private static CalendarDay Day(int year, int month, int day) => All.Single(c => c.Date == new DateOnly(year, month, day));

    [Fact]
    public void Range_FirstToLast_OneRowPerDay()
    {
        Assert.Equal(CalendarDay.Last.DayNumber - CalendarDay.First.DayNumber + 1, All.Count);
        Assert.Equal(CalendarDay.First, All[0].Date);
        Assert.Equal(CalendarDay.Last, All[^1].Date);
    }

    [Fact]
    public void Range_WorkingDaySeq_MonotoneAndStepsOnWorkingDays()
    {
        var previous = 0;
        foreach (var day in All)
        {
            Assert.Equal(previous + (day.IsWorkingDay ? 1 : 0), day.WorkingDaySeq);
            previous = day.WorkingDaySeq;
        }
        Assert.Equal(All.Count(d => d.IsWorkingDay), All[^1].WorkingDaySeq);
    }

    [Fact]
    public void Range_IsWorkingDay_AgreesWithWorkingDays()
    {
        Assert.All(All, d =>
        {
            Assert.Equal(WorkingDays.IsWorkingDay(d.Date), d.IsWorkingDay);
            Assert.Equal(BankHolidays.NameOf(d.Date), d.BankHoliday);
            Assert.Equal(d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, d.IsWeekend);
        });
    }

    [Theory]
    [InlineData(2022, 9, 16, 10)]
    [InlineData(2022, 12, 23, 10)]
    [InlineData(2023, 4, 3, 45)]
    [InlineData(2021, 12, 25, 5)]
    [InlineData(2029, 12, 20, 65)]
    public void Range_SeqPlusN_EqualsAddWorkingDays(int year, int month, int day, int n)
    {
        // The SQL due-date rule: the working day whose seq is seq(start) + n.
        var start = Day(year, month, day);
        var due = All.Single(c => c.IsWorkingDay && c.WorkingDaySeq == start.WorkingDaySeq + n);
        Assert.Equal(WorkingDays.AddWorkingDays(start.Date, n), due.Date);
    }

    [Fact]
    public void Range_SeqDifference_EqualsBetween()
    {
        var start = Day(2022, 9, 16);
        foreach (var end in All.Where(c => c.Date >= start.Date && c.Date <= new DateOnly(2023, 3, 31)))
        {
            Assert.Equal(WorkingDays.Between(start.Date, end.Date), end.WorkingDaySeq - start.WorkingDaySeq);
        }
    }

    [Fact]
    public void Range_FinancialLabels_MatchUkFinancialYear()
    {
        var march = Day(2022, 3, 31);
        Assert.Equal("2021/22", march.FinancialYear);
        Assert.Equal(2021, march.FinancialYearStart);
        Assert.Equal(4, march.FinancialQuarter);
        Assert.Equal("2021/22 Q4", march.FinancialQuarterLabel);
        Assert.Equal(new DateOnly(2022, 1, 1), march.FinancialQuarterStart);
        Assert.Equal("2022-03", march.MonthLabel);
        Assert.Equal(new DateOnly(2022, 3, 1), march.MonthStart);

        var april = Day(2022, 4, 1);
        Assert.Equal("2022/23", april.FinancialYear);
        Assert.Equal("2022/23 Q1", april.FinancialQuarterLabel);
        Assert.Equal(new DateOnly(2022, 4, 1), april.FinancialQuarterStart);
        Assert.Equal("Friday", april.Weekday);
    }

    [Fact]
    public void Range_StateFuneral_IsNamedHolidayNotWorkingDay()
    {
        var funeral = Day(2022, 9, 19);
        Assert.Equal("Bank Holiday for the State Funeral of Queen Elizabeth II", funeral.BankHoliday);
        Assert.False(funeral.IsWeekend);
        Assert.False(funeral.IsWorkingDay);
        Assert.Equal(Day(2022, 9, 16).WorkingDaySeq, funeral.WorkingDaySeq);
    }

    [Fact]
    public void Range_AcrossYearBoundary_UsesBothYearsHolidays()
    {
        var days = CalendarDay.Range(new DateOnly(2022, 12, 20), new DateOnly(2023, 1, 5)).ToList();
        Assert.Equal(["Boxing Day", "Christmas Day", "New Year's Day"], days.Where(d => d.BankHoliday is not null).Select(d => d.BankHoliday!));
    }

    [Fact]
    public void Range_LastBeforeFirst_Empty()
    {
        Assert.Empty(CalendarDay.Range(new DateOnly(2023, 1, 2), new DateOnly(2023, 1, 1)));
    }
}
