using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// <see cref="WorkingDays"/> precomputed over a fixed window, because the generator asks for
/// working-day arithmetic millions of times. Built from <see cref="WorkingDays.IsWorkingDay"/>, so
/// the two always agree (a test checks it).
/// </summary>
internal sealed class WorkingCalendar
{
    private readonly DateOnly _first;
    private readonly int[] _cumulative;     // working days from _first up to and including day i
    private readonly DateOnly[] _working;   // the working days in order

    public WorkingCalendar(DateOnly first, DateOnly last)
    {
        _first = first;
        var days = last.DayNumber - first.DayNumber + 1;
        _cumulative = new int[days];
        var working = new List<DateOnly>(days);
        for (var i = 0; i < days; i++)
        {
            var d = first.AddDays(i);
            if (WorkingDays.IsWorkingDay(d)) working.Add(d);
            _cumulative[i] = working.Count;
        }
        _working = [.. working];
    }

    public bool IsWorkingDay(DateOnly date)
    {
        var i = Index(date);
        return _cumulative[i] - (i == 0 ? 0 : _cumulative[i - 1]) == 1;
    }

    /// <summary>Same as <see cref="WorkingDays.AddWorkingDays"/>.</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (days == 0) return start;
        var i = _cumulative[Index(start)] + days - 1;
        return i < _working.Length ? _working[i] : WorkingDays.AddWorkingDays(start, days);
    }

    /// <summary>Same as <see cref="WorkingDays.Between"/>.</summary>
    public int Between(DateOnly start, DateOnly end) =>
        end <= start ? 0 : _cumulative[Index(end)] - _cumulative[Index(start)];

    /// <summary>The working days of one calendar month, in order.</summary>
    public DateOnly[] WorkingDaysIn(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var result = new List<DateOnly>(23);
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            if (IsWorkingDay(d)) result.Add(d);
        }
        return [.. result];
    }

    private int Index(DateOnly date)
    {
        var i = date.DayNumber - _first.DayNumber;
        if (i < 0 || i >= _cumulative.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "Date outside the generator's working-day window.");
        }
        return i;
    }
}
