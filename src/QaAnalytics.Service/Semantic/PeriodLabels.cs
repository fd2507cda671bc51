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

    /// <summary>The first and last day of the period a label names ("2024-03", "2024/25 Q1", "2024/25", "12 months to 2024-03"); null for "all" or a label of none of these shapes.</summary>
    public static (DateOnly Start, DateOnly End)? Span(string label)
    {
        if (label.StartsWith(RollingPrefix, StringComparison.Ordinal) && TryMonth(label[RollingPrefix.Length..], out var end)) return (end.AddMonths(-11), end.AddMonths(1).AddDays(-1));
        if (TryMonth(label, out var month)) return (month, month.AddMonths(1).AddDays(-1));
        if (label.Length == 10 && label[7] == ' ' && label[8] == 'Q' && label[9] is >= '1' and <= '4' && TryYear(label[..7], out _))
        {
            var start = QuarterStart(label);
            return (start, start.AddMonths(3).AddDays(-1));
        }
        if (TryYear(label, out var year)) return (new DateOnly(year, 4, 1), new DateOnly(year + 1, 3, 31));
        return null;

        static bool TryMonth(string text, out DateOnly first) =>
            DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first);

        static bool TryYear(string text, out int first) =>
            (first = text.Length == 7 && text[4] == '/' && int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0) > 0;
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
