using System.Globalization;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// Turns a feature that pushed a team's probability up into words a director can act on, worded
/// in the direction that raises the risk ("Agency-worker rate rose from 18% to 35%"). A feature is
/// no reason at all (null) when its figure is unchanged, moved the better way, is a bare count or
/// a neutral measure, or has no figure. Where the grade history drives a flag because the latest
/// quarter was above the team's usual, the reason says honestly that part of the predicted fall is
/// a return to usual.
/// </summary>
public static class RiskReasons
{
    /// <summary>Counts from 1 to this are withheld wherever a count is written (the DfE convention: 1–5).</summary>
    public const int SmallCount = 5;

    /// <summary>Reasons that say "a return to usual" share this key, so a flag states it once.</summary>
    public const string ReturnToUsual = "return_to_usual";

    /// <summary>The reason, and the key that de-duplicates reasons about the same measure; null when the feature is no reason.</summary>
    /// <param name="feature">The feature whose contribution raised the probability.</param>
    /// <param name="row">The team-quarter.</param>
    /// <param name="means">Training means of the features (what is usual across teams).</param>
    public static (string Text, string Key)? Describe(RiskFeature feature, TeamQuarter row, IReadOnlyDictionary<string, double> means)
    {
        var value = row.Value(feature.Column);
        if (float.IsNaN(value) || feature.HigherIsBetter is not { } higherIsBetter || feature.Unit == FeatureUnit.Count) return null;
        var worse = higherIsBetter ? -1 : 1;  // the sign of a change for the worse
        if (feature.History && IsReturnToUsual(feature, row, value)) return ReturnSentence(feature, row);
        if (feature.ChangeOf is { } level)
        {
            var now = row.Value(level);
            var before = now - value;
            if (Math.Sign(value) != worse || Format(feature.Unit, now) == Format(feature.Unit, before)) return null;
            var verb = value > 0 ? "rose" : "fell";
            var span = feature.AgainstYear ? " on average over the previous four quarters" : feature.Quarters == 1 ? "" : $" over {Words(feature.Quarters)} quarters";
            var text = feature.AgainstYear
                ? $"{Capital(feature.Words)} {Format(feature.Unit, now)}, {(value > 0 ? "above" : "below")} its {Format(feature.Unit, before)}{span}"
                : $"{Capital(feature.Words)} {verb} from {Format(feature.Unit, before)} to {Format(feature.Unit, now)}{span}";
            return (text, level);
        }
        if (!means.TryGetValue(feature.Column, out var mean) || double.IsNaN(mean)) return null;
        var usual = (float)mean;
        if (Math.Sign(value - usual) != worse || Format(feature.Unit, value) == Format(feature.Unit, usual)) return null;
        return ($"{Capital(feature.Words)} {Format(feature.Unit, value)}, {(value > usual ? "above" : "below")} the {Format(feature.Unit, usual)} usual across teams", feature.Column);
    }

    /// <summary>
    /// A grade measure that raised the risk while the latest quarter is above the team's usual (a
    /// higher level, or a rise, on top of the usual): the fall it predicts is partly a return to usual.
    /// Equal once written out is not above.
    /// </summary>
    private static bool IsReturnToUsual(RiskFeature feature, TeamQuarter row, float value)
    {
        if (feature.Unit is not (FeatureUnit.Share or FeatureUnit.Score)) return false;
        var isLevel = feature.Column is "good_or_better_share" or "mean_grade_score";
        if (!isLevel && !(feature.ChangeOf is not null && value > 0)) return false;
        var now = row.Value(feature.Unit == FeatureUnit.Share ? "good_or_better_share" : "mean_grade_score");
        var usual = Usual(feature, row);
        return !float.IsNaN(usual) && now > usual && Format(feature.Unit, now) != Format(feature.Unit, usual);
    }

    private static (string, string) ReturnSentence(RiskFeature feature, TeamQuarter row)
    {
        var share = feature.Unit == FeatureUnit.Share;
        var now = row.Value(share ? "good_or_better_share" : "mean_grade_score");
        var usual = Usual(feature, row);
        var what = share ? "share of audits Good or better" : "mean audit grade score";
        return ($"The latest quarter was above this team's usual ({what} {Format(feature.Unit, now)} against {Format(feature.Unit, usual)} over the previous four quarters): part of the predicted fall is a return to usual", ReturnToUsual);
    }

    private static float Usual(RiskFeature feature, TeamQuarter row)
    {
        var share = feature.Unit == FeatureUnit.Share;
        var now = row.Value(share ? "good_or_better_share" : "mean_grade_score");
        var vsYear = row.Value(share ? "good_or_better_vs_year" : "mean_score_vs_year");
        return now - vsYear;
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
