using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Calendar;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// A time grain, written once: the column of the fact views that labels its periods, how a month's
/// period is labelled, the period before a label, and the months a comparison reads as look-back.
/// The wire enum (<see cref="TimeGrain"/>) is turned into one of these by <see cref="Of"/> where a
/// request becomes a query, and nowhere else.
/// </summary>
public sealed class PeriodGrain
{
    private readonly Func<DateOnly, DateOnly> _start;
    private readonly Func<DateOnly, string> _label;
    private readonly Func<string, DateOnly> _parse;

    private PeriodGrain(string name, string column, int months, Func<DateOnly, DateOnly> start, Func<DateOnly, string> label, Func<string, DateOnly> parse)
    {
        Name = name;
        Column = column;
        Months = months;
        _start = start;
        _label = label;
        _parse = parse;
    }

    public static PeriodGrain Month { get; } = new("month", "month_label", 1, m => m, PeriodLabels.MonthLabel, PeriodLabels.Month);

    public static PeriodGrain FinancialQuarter { get; } = new("financial_quarter", "financial_quarter_label", 3, FinancialPeriod.QuarterStart, FinancialPeriod.QuarterLabel, PeriodLabels.QuarterStart);

    public static PeriodGrain FinancialYear { get; } = new("financial_year", "financial_year", 12, FinancialPeriod.YearStart, FinancialPeriod.YearLabel, l => new DateOnly(PeriodLabels.YearStart(l), 4, 1));

    /// <summary>The whole range as one period, labelled "all".</summary>
    public static PeriodGrain All { get; } = new("all", "'all'", 0, m => m, _ => "all", _ => default);

    /// <summary>The 12 months ending at each month ("12 months to 2024-03"): read as months, summed into windows by the calculator.</summary>
    public static PeriodGrain Rolling12Months { get; } = new("rolling_12_months", "month_label", 1, m => m, RollingLabel, l => PeriodLabels.Month(l[PeriodLabels.RollingPrefix.Length..]));

    /// <summary>What a request that names no grain gets.</summary>
    public static PeriodGrain Default => FinancialQuarter;

    public static IReadOnlyList<PeriodGrain> Every { get; } = [Month, FinancialQuarter, FinancialYear, All, Rolling12Months];

    /// <summary>The grain a request names; unspecified is <see cref="Default"/>.</summary>
    public static PeriodGrain Of(TimeGrain wire) => wire switch
    {
        TimeGrain.Unspecified => Default,
        TimeGrain.Month => Month,
        TimeGrain.FinancialQuarter => FinancialQuarter,
        TimeGrain.FinancialYear => FinancialYear,
        TimeGrain.All => All,
        TimeGrain.Rolling12Months => Rolling12Months,
        _ => throw new BadArgumentException("grain", $"unknown time grain {(int)wire}"),
    };

    /// <summary>For messages and the access log ("financial_quarter").</summary>
    public string Name { get; }

    /// <summary>The SQL of the period label on every fact view (a fixed identifier, or the literal 'all').</summary>
    public string Column { get; }

    /// <summary>Months in one period (0 for the whole range); for rolling windows, the month the SQL groups by.</summary>
    public int Months { get; }

    public bool IsRolling => ReferenceEquals(this, Rolling12Months);

    /// <summary>A whole financial quarter or year: what callers outside the council may ask for.</summary>
    public bool IsWholeFinancialPeriod => ReferenceEquals(this, FinancialQuarter) || ReferenceEquals(this, FinancialYear);

    /// <summary>The first month of the period holding <paramref name="month"/>.</summary>
    public DateOnly Start(DateOnly month) => _start(new DateOnly(month.Year, month.Month, 1));

    /// <summary>The label of the period holding (for rolling windows: ending at) <paramref name="month"/>, as the views write it.</summary>
    public string Label(DateOnly month) => _label(Start(month));

    /// <summary>The label of the period before <paramref name="label"/>; null for the whole range.</summary>
    public string? Previous(string label) => Months == 0 ? null : _label(_parse(label).AddMonths(-Months));

    /// <summary>
    /// The months of the period before the one holding <paramref name="from"/>: what a comparison
    /// reads as look-back, only to give the first period its previous one. Null for the whole range
    /// and for rolling windows (which read their months instead).
    /// </summary>
    public (DateOnly From, DateOnly To)? Lookback(DateOnly from)
    {
        if (Months == 0 || IsRolling) return null;
        var start = Start(from);
        return (start.AddMonths(-Months), start.AddMonths(-1));
    }

    public override string ToString() => Name;

    public static string RollingLabel(DateOnly end) => PeriodLabels.RollingPrefix + PeriodLabels.MonthLabel(end);
}
