using System.Globalization;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// Turns a feature that pushed a team's probability up into words a director can act on, e.g.
/// "agency-worker rate rose from 18% to 35%". Counts of 1 to <see cref="SmallCount"/> are not
/// written out (small-number suppression).
/// </summary>
public static class RiskReasons
{
    /// <summary>Counts from 1 to this are withheld in reasons (the DfE convention: 1–5).</summary>
    public const int SmallCount = 5;

    /// <param name="feature">The feature.</param>
    /// <param name="row">The team-quarter.</param>
    /// <param name="previous">The same team's previous quarter, if any (for the "was" of a level).</param>
    public static string Describe(RiskFeature feature, TeamQuarter row, TeamQuarter? previous)
    {
        var value = row.Value(feature.Column);
        if (feature.ChangeOf is { } level)
        {
            var now = row.Value(level);
            var before = now - value;
            var verb = value > 0 ? "rose" : value < 0 ? "fell" : "stayed";
            if (feature.AgainstYear)
            {
                return $"{Capital(feature.Words)} {Format(feature.Unit, now)} against {Format(feature.Unit, before)} on average over the previous four quarters";
            }
            var span = feature.Quarters == 1 ? "" : $" over {Words(feature.Quarters)} quarters";
            return value == 0
                ? $"{Capital(feature.Words)} stayed at {Format(feature.Unit, now)}{span}"
                : $"{Capital(feature.Words)} {verb} from {Format(feature.Unit, before)} to {Format(feature.Unit, now)}{span}";
        }
        var text = float.IsNaN(value) ? $"No figure for {feature.Words} this quarter" : $"{Capital(feature.Words)}: {Format(feature.Unit, value)}";
        if (previous is not null && !float.IsNaN(value) && previous.Value(feature.Column) is var was && !float.IsNaN(was) && feature.Unit != FeatureUnit.Count)
        {
            text += $" (last quarter {Format(feature.Unit, was)})";
        }
        return text;
    }

    public static string Format(FeatureUnit unit, float value)
    {
        if (float.IsNaN(value)) return "no figure";
        var c = CultureInfo.InvariantCulture;
        return unit switch
        {
            FeatureUnit.Share => (value * 100).ToString("0", c) + "%",
            FeatureUnit.Percent => value.ToString("0", c) + "%",
            FeatureUnit.Score => value.ToString("0.00", c),
            FeatureUnit.Count => value is >= 1 and <= SmallCount ? $"1–{SmallCount} (small number withheld)" : value.ToString("0", c),
            _ => value.ToString("0.0", c),
        };
    }

    private static string Words(int n) => n == 2 ? "two" : n.ToString(CultureInfo.InvariantCulture);

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
