namespace QaAnalytics.Models.Calendar;

/// <summary>One row of the date dimension.</summary>
public sealed record CalendarDay(
    DateOnly Date,
    string FinancialYear,
    int FinancialYearStart,
    int FinancialQuarter,
    string FinancialQuarterLabel,
    DateOnly FinancialQuarterStart,
    DateOnly MonthStart,
    string MonthLabel,
    string Weekday,
    bool IsWeekend,
    string? BankHoliday,
    bool IsWorkingDay,
    int WorkingDaySeq)
{
    /// <summary>First and last dates the date dimension covers.</summary>
    public static readonly DateOnly First = new(2015, 1, 1);

    public static readonly DateOnly Last = new(2030, 12, 31);

    /// <summary>
    /// Every day from <see cref="First"/> to <see cref="Last"/>. <see cref="WorkingDaySeq"/> counts
    /// working days from the start, so "N working days after d" is the working day whose sequence is
    /// seq(d) + N: that is how SQL computes statutory due dates without a loop.
    /// </summary>
    public static IEnumerable<CalendarDay> Range(DateOnly first, DateOnly last)
    {
        var holidays = new Dictionary<DateOnly, string>();
        for (var y = first.Year; y <= last.Year; y++)
        {
            foreach (var (date, name) in BankHolidays.InYear(y)) holidays[date] = name;
        }
        var seq = 0;
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            var weekend = d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var holiday = holidays.GetValueOrDefault(d);
            var working = !weekend && holiday is null;
            if (working) seq++;
            yield return new CalendarDay(
                d,
                FinancialPeriod.YearLabel(d),
                FinancialPeriod.StartYear(d),
                FinancialPeriod.Quarter(d),
                FinancialPeriod.QuarterLabel(d),
                FinancialPeriod.QuarterStart(d),
                new DateOnly(d.Year, d.Month, 1),
                $"{d.Year:0000}-{d.Month:00}",
                d.DayOfWeek.ToString(),
                weekend,
                holiday,
                working,
                seq);
        }
    }
}
