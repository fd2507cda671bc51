namespace QaAnalytics.Models.Calendar;

/// <summary>
/// Working days in England and Wales: Monday to Friday, less bank holidays (the same set as the
/// "working day" of the Children Act 1989 Representations Procedure (England) Regulations 2006).
/// Statutory timescales ("within 10 working days of receipt") count from the day after the start
/// date, so the start day itself is day 0 whether or not it is a working day. Dates before
/// <see cref="BankHolidays.FirstSupportedYear"/> throw, because their bank holidays are not known.
/// </summary>
public static class WorkingDays
{
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && BankHolidays.NameOf(date) is null;

    /// <summary>The date <paramref name="days"/> working days after <paramref name="start"/>.</summary>
    public static DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date)) days--;
        }
        return date;
    }

    /// <summary>Working days after <paramref name="start"/> up to and including <paramref name="end"/> (0 if end ≤ start).</summary>
    public static int Between(DateOnly start, DateOnly end)
    {
        var count = 0;
        for (var d = start.AddDays(1); d <= end; d = d.AddDays(1))
        {
            if (IsWorkingDay(d)) count++;
        }
        return count;
    }
}
