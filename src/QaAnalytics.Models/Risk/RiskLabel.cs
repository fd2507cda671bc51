using System.Globalization;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// The label "declining practice quality" for a team and quarter t: comparing quarter t+1 with
/// quarter t, the mean grade score (effective grade, 4 = Outstanding … 1 = Inadequate) falls by at
/// least <see cref="ScoreDrop"/>, or the share of audits Good or better falls by at least
/// <see cref="ShareDrop"/>; counted only where both quarters have at least
/// <see cref="MinAudits"/> original audits (otherwise the label is unknown and the row is neither
/// trained on nor scored against).
/// </summary>
/// <param name="MinAudits">Original audits both quarters need (default 8).</param>
/// <param name="ScoreDrop">Fall in mean grade score that counts as a decline (default 0.25).</param>
/// <param name="ShareDrop">Fall in the share Good or better that counts as a decline (default 0.20, i.e. 20 points).</param>
public sealed record RiskLabel(int MinAudits = 8, double ScoreDrop = 0.25, double ShareDrop = 0.20)
{
    public static RiskLabel Default { get; } = new();

    /// <summary>The definition in plain words, as the model card and metadata print it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Declining practice quality: next quarter's mean audit grade score (effective grade; 4 = Outstanding … 1 = Inadequate; re-audits excluded) is at least {ScoreDrop:0.00} lower than this quarter's, or next quarter's share of audits Good or better is at least {ShareDrop * 100:0} points lower; only where both quarters have at least {MinAudits} audits.");
}
