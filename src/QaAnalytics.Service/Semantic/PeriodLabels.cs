using System.Globalization;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// Period labels as the views write them ("2024-03", "2024/25 Q1", "2024/25", "12 months to
/// 2024-03") and the period before each: the previous month, financial quarter (Q1's is the
/// previous year's Q4), financial year, or the 12 months ending a month earlier.
/// </summary>
public static class PeriodLabels
{
    private const string RollingPrefix = "12 months to ";

    public static string RollingLabel(DateOnly end) => RollingPrefix + end.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The label of the period holding <paramref name="month"/>, as the views write it.</summary>
    public static string Label(TimeGrain grain, DateOnly month) => grain switch
    {
        TimeGrain.Month => month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        TimeGrain.Unspecified or TimeGrain.FinancialQuarter => FinancialPeriod.QuarterLabel(month),
        TimeGrain.FinancialYear => FinancialPeriod.YearLabel(month),
        _ => "all",
    };

    /// <summary>The label of the period before <paramref name="label"/>; null for the whole range.</summary>
    public static string? Previous(TimeGrain grain, string label) => grain switch
    {
        TimeGrain.Month => Month(label).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        TimeGrain.Unspecified or TimeGrain.FinancialQuarter => FinancialPeriod.QuarterLabel(QuarterStart(label).AddMonths(-3)),
        TimeGrain.FinancialYear => FinancialPeriod.YearLabel(YearStart(label) - 1),
        TimeGrain.Rolling12Months => RollingLabel(Month(label[RollingPrefix.Length..]).AddMonths(-1)),
        _ => null,
    };

    /// <summary>
    /// The months of the period before the one holding <paramref name="from"/>: what a comparison
    /// reads as look-back, only to give the first period its previous one.
    /// </summary>
    public static (DateOnly From, DateOnly To)? Lookback(TimeGrain grain, DateOnly from)
    {
        var (start, months) = grain switch
        {
            TimeGrain.Month => (from, 1),
            TimeGrain.Unspecified or TimeGrain.FinancialQuarter => (FinancialPeriod.QuarterStart(from), 3),
            TimeGrain.FinancialYear => (FinancialPeriod.YearStart(from), 12),
            _ => (from, 0),
        };
        return months == 0 ? null : (start.AddMonths(-months), start.AddMonths(-1));
    }

    private static DateOnly Month(string label) => DateOnly.ParseExact(label + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2024/25 Q1" → 1 April 2024.</summary>
    private static DateOnly QuarterStart(string label)
    {
        var year = YearStart(label[..7]);
        var quarter = label[^1] - '0';
        return new DateOnly(year, 4, 1).AddMonths(3 * (quarter - 1));
    }

    /// <summary>"2024/25" → 2024.</summary>
    private static int YearStart(string label) => int.Parse(label[..4], CultureInfo.InvariantCulture);
}
