using QaAnalytics.Models.Audits;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// How people type grades into audit trackers. Each auditor has a habit; they use it most of the
/// time and the full name otherwise. Every spelling here parses with <see cref="GradeParser"/>.
/// </summary>
internal static class GradeSpelling
{
    public enum Style
    {
        Full,
        Short,
        Long,
        Lower,
        Code,
    }

    private static readonly double[] StyleWeights = [0.60, 0.15, 0.10, 0.08, 0.07];

    public static Style DrawStyle(Random rng) => (Style)rng.PickWeighted(StyleWeights);

    /// <summary>The auditor's habit 80% of the time, the full name otherwise; "Requires Improvement (RI)" now and then.</summary>
    public static string Spell(Random rng, Grade grade, Style habit)
    {
        var style = rng.Chance(0.8) ? habit : Style.Full;
        if (grade == Grade.RequiresImprovement && rng.Chance(0.01)) return "Requires Improvement (RI)";
        return Spell(grade, style);
    }

    public static string Spell(Grade grade, Style style) => style switch
    {
        Style.Short => grade.ShortName(),
        Style.Long => grade == Grade.RequiresImprovement ? "Requires improvement to be good" : grade.DisplayName(),
        Style.Lower => grade.DisplayName().ToLowerInvariant(),
        Style.Code => ((int)grade).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => grade.DisplayName(),
    };
}
