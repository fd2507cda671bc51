using System.Globalization;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// Period labels as the views write them ("2024-03", "2024/25 Q1", "2024/25", "12 months to
/// 2024-03") read back as dates. Which label a grain gives a month, and the period before, are
/// <see cref="PeriodGrain"/>'s.
/// </summary>
public static class PeriodLabels
{
    internal const string RollingPrefix = "12 months to ";

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

    internal static string MonthLabel(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>"2024-03" → 1 March 2024.</summary>
    internal static DateOnly Month(string label) => DateOnly.ParseExact(label + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2024/25 Q1" → 1 April 2024.</summary>
    internal static DateOnly QuarterStart(string label) => new DateOnly(YearStart(label[..7]), 4, 1).AddMonths(3 * (label[^1] - '1'));

    /// <summary>"2024/25" → 2024.</summary>
    internal static int YearStart(string label) => int.Parse(label[..4], CultureInfo.InvariantCulture);
}
