using System.Globalization;

namespace QaAnalytics.Service.Reports;

/// <summary>How the pack writes figures: a share always with its counts ("12 of 40, 30%"), a withheld count as such.</summary>
public static class Figures
{
    public const string Withheld = "withheld";

    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-GB");

    public static string Count(object? value) => value is null ? Withheld : Convert.ToInt64(value, En).ToString("N0", En);

    /// <summary>"12 of 40, 30%"; "withheld" when either count is; "none of 0" when there is nothing to share.</summary>
    public static string Share(object? part, object? whole)
    {
        if (part is null || whole is null) return Withheld;
        var (p, w) = (Convert.ToInt64(part, En), Convert.ToInt64(whole, En));
        return w == 0 ? "0 of 0" : $"{p.ToString("N0", En)} of {w.ToString("N0", En)}, {Percent(100.0 * p / w)}";
    }

    /// <summary>A percentage with no decimals, or one below 10 ("7.5%").</summary>
    public static string Percent(double? value) => value is not { } v || double.IsNaN(v) ? Withheld
        : (Math.Abs(v) < 10 && v != Math.Round(v) ? v.ToString("0.0", En) : v.ToString("0", En)) + "%";

    public static string Number(double? value, string format = "0.00") => value is not { } v || double.IsNaN(v) ? "–" : v.ToString(format, En);
}
