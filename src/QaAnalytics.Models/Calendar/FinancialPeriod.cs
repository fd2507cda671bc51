namespace QaAnalytics.Models.Calendar;

/// <summary>
/// The UK public-sector financial year (April to March). <c>2021/22</c> runs from 1 April 2021 to
/// 31 March 2022; its Q4 is January to March 2022.
/// </summary>
public static class FinancialPeriod
{
    /// <summary>The calendar year in which the financial year containing <paramref name="date"/> starts.</summary>
    public static int StartYear(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    /// <summary>Financial year label, e.g. <c>2021/22</c>.</summary>
    public static string YearLabel(DateOnly date) => YearLabel(StartYear(date));

    public static string YearLabel(int startYear) => $"{startYear}/{(startYear + 1) % 100:00}";

    /// <summary>Quarter 1 (April–June) to 4 (January–March).</summary>
    public static int Quarter(DateOnly date) => ((date.Month + 8) % 12) / 3 + 1;

    /// <summary>Financial quarter label, e.g. <c>2021/22 Q4</c>.</summary>
    public static string QuarterLabel(DateOnly date) => $"{YearLabel(date)} Q{Quarter(date)}";

    /// <summary>First day of the financial quarter containing <paramref name="date"/>.</summary>
    public static DateOnly QuarterStart(DateOnly date)
    {
        var month = ((date.Month - 1) / 3) * 3 + 1;
        return new DateOnly(date.Year, month, 1);
    }

    /// <summary>First day of the financial year containing <paramref name="date"/>.</summary>
    public static DateOnly YearStart(DateOnly date) => new(StartYear(date), 4, 1);
}
