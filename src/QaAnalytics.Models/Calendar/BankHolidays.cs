namespace QaAnalytics.Models.Calendar;

/// <summary>
/// England and Wales bank holidays, from the rules in the Banking and Financial Dealings Act 1971
/// (with Christmas Day and Good Friday, which are common-law holidays) plus the royal
/// proclamations that moved or added days. Checked against the GOV.UK list for 2015–2027 (see the
/// tests) and against the proclamations back to <see cref="FirstSupportedYear"/>; years after the
/// last published GOV.UK list follow the standing rules, so a future one-off day (a jubilee, a
/// state funeral) must be added to the one-off list when it is proclaimed.
/// </summary>
public static class BankHolidays
{
    /// <summary>
    /// The first year computed: the Early May bank holiday began in 1978, so the standing rules
    /// below do not describe earlier years. Earlier years throw rather than return a wrong list.
    /// </summary>
    public const int FirstSupportedYear = 1978;

    /// <summary>The last year GOV.UK had published when the tests were written; later years are provisional.</summary>
    public const int LastPublishedYear = 2027;

    private const string EarlyMay = "Early May bank holiday";
    private const string Spring = "Spring bank holiday";

    // One-off days added by proclamation.
    private static readonly Dictionary<DateOnly, string> Extra = new()
    {
        [new DateOnly(1981, 7, 29)] = "Royal wedding",
        [new DateOnly(1999, 12, 31)] = "Millennium Day",
        [new DateOnly(2002, 6, 3)] = "Queen's Golden Jubilee",
        [new DateOnly(2011, 4, 29)] = "Royal wedding",
        [new DateOnly(2012, 6, 5)] = "Queen's Diamond Jubilee",
        [new DateOnly(2022, 6, 3)] = "Platinum Jubilee bank holiday",
        [new DateOnly(2022, 9, 19)] = "Bank Holiday for the State Funeral of Queen Elizabeth II",
        [new DateOnly(2023, 5, 8)] = "Bank holiday for the coronation of King Charles III",
    };

    // Standing holidays moved by proclamation: (year, standing rule) → (replacement date, published name).
    private static readonly Dictionary<(int Year, string Rule), (DateOnly Date, string Name)> Moved = new()
    {
        [(1995, EarlyMay)] = (new DateOnly(1995, 5, 8), "Early May bank holiday (VE day)"),
        [(2002, Spring)] = (new DateOnly(2002, 6, 4), Spring),
        [(2012, Spring)] = (new DateOnly(2012, 6, 4), Spring),
        [(2020, EarlyMay)] = (new DateOnly(2020, 5, 8), "Early May bank holiday (VE day)"),
        [(2022, Spring)] = (new DateOnly(2022, 6, 2), Spring),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<(DateOnly Date, string Name)>> Cache = new();

    /// <summary>All bank holidays in a calendar year, in date order, with their names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is before <see cref="FirstSupportedYear"/> or after 9999.</exception>
    public static IReadOnlyList<(DateOnly Date, string Name)> InYear(int year)
    {
        if (year is < FirstSupportedYear or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year,
                $"England and Wales bank holidays are computed from {FirstSupportedYear} (the first Early May bank holiday) onwards.");
        }
        return Cache.GetOrAdd(year, Compute);
    }

    private static IReadOnlyList<(DateOnly Date, string Name)> Compute(int year)
    {
        var days = new List<(DateOnly Date, string Name)>();
        days.Add((Substitute(new DateOnly(year, 1, 1)), "New Year's Day"));
        var easter = EasterSunday(year);
        days.Add((easter.AddDays(-2), "Good Friday"));
        days.Add((easter.AddDays(1), "Easter Monday"));
        days.Add(Moved.GetValueOrDefault((year, EarlyMay), (FirstMonday(year, 5), EarlyMay)));
        days.Add(Moved.GetValueOrDefault((year, Spring), (LastMonday(year, 5), Spring)));
        days.Add((LastMonday(year, 8), "Summer bank holiday"));
        var (christmas, boxing) = ChristmasPair(year);
        days.Add((christmas, "Christmas Day"));
        days.Add((boxing, "Boxing Day"));
        days.AddRange(Extra.Where(kv => kv.Key.Year == year).Select(kv => (kv.Key, kv.Value)));
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days.AsReadOnly();
    }

    /// <summary>The holiday's name, or null if <paramref name="date"/> is not a bank holiday.</summary>
    public static string? NameOf(DateOnly date) =>
        InYear(date.Year).Where(d => d.Date == date).Select(d => d.Name).FirstOrDefault();

    /// <summary>Whether <paramref name="date"/> is an England and Wales bank holiday.</summary>
    public static bool IsBankHoliday(DateOnly date) => NameOf(date) is not null;

    /// <summary>Easter Sunday (Gregorian, anonymous algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly Substitute(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(2),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    private static (DateOnly Christmas, DateOnly Boxing) ChristmasPair(int year)
    {
        var christmas = new DateOnly(year, 12, 25);
        return christmas.DayOfWeek switch
        {
            DayOfWeek.Friday => (christmas, christmas.AddDays(3)),
            DayOfWeek.Saturday => (christmas.AddDays(2), christmas.AddDays(3)),
            DayOfWeek.Sunday => (christmas.AddDays(2), christmas.AddDays(1)),
            _ => (christmas, christmas.AddDays(1)),
        };
    }

    private static DateOnly FirstMonday(int year, int month)
    {
        var d = new DateOnly(year, month, 1);
        while (d.DayOfWeek != DayOfWeek.Monday) d = d.AddDays(1);
        return d;
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var d = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (d.DayOfWeek != DayOfWeek.Monday) d = d.AddDays(-1);
        return d;
    }
}
