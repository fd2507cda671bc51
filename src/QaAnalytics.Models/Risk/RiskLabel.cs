using System.Globalization;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// The label "declining practice quality" for a team at quarter t: the next two quarters pooled
/// (t+1, t+2) against the team's usual level, the four quarters up to t pooled (t−3 … t). It is a
/// decline when the pooled mean grade score (effective grade, 4 = Outstanding … 1 = Inadequate) is
/// at least <see cref="ScoreDrop"/> below the usual, or the pooled share Good or better at least
/// <see cref="ShareDrop"/> below it. Counted only where the next two quarters hold at least
/// <see cref="MinAudits"/> original audits and the usual level <see cref="MinReferenceAudits"/>;
/// otherwise the label is unknown and the row is neither trained on nor tested against. Pooling is
/// what keeps one lucky quarter from reading as a decline.
/// </summary>
/// <param name="MinAudits">Original audits the next two quarters need together (default 12).</param>
/// <param name="MinReferenceAudits">Original audits the four quarters up to t need together (default 24).</param>
/// <param name="ScoreDrop">Fall in pooled mean grade score that counts as a decline (default 0.20).</param>
/// <param name="ShareDrop">Fall in the pooled share Good or better that counts as a decline (default 0.15, i.e. 15 points).</param>
public sealed record RiskLabel(int MinAudits = 12, int MinReferenceAudits = 24, double ScoreDrop = 0.20, double ShareDrop = 0.15)
{
    /// <summary>Quarters after t the label looks at: a backtest trains at t only on rows whose label was known by t (index ≤ t − Horizon).</summary>
    public const int Horizon = 2;

    public static RiskLabel Default { get; } = new();

    /// <summary>The definition in plain words, as the model card and metadata print it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Declining practice quality: over the next two quarters pooled, the mean audit grade score (effective grade; 4 = Outstanding … 1 = Inadequate; re-audits excluded) is at least {ScoreDrop:0.00} below the team's usual level (this quarter and the three before, pooled), or the share of audits Good or better is at least {ShareDrop * 100:0} points below its usual share; only where the next two quarters hold at least {MinAudits} audits and the usual level at least {MinReferenceAudits}.");
}
