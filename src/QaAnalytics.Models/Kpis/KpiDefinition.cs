using QaAnalytics.Models.Audits;

namespace QaAnalytics.Models.Kpis;

/// <summary>How a KPI is reported.</summary>
public enum KpiUnit
{
    /// <summary>Numerator over denominator, shown as a percentage.</summary>
    Rate,

    /// <summary>A single figure (e.g. children per worker).</summary>
    Count,

    /// <summary>A single figure that is already a percentage (e.g. agency-worker rate 18.5).</summary>
    Percent,
}

/// <summary>Which way is good.</summary>
public enum Polarity
{
    HigherIsBetter,
    LowerIsBetter,
}

/// <summary>
/// A compliance or workforce KPI. <see cref="Target"/> is the council's usual target in the KPI's
/// own unit (percent for rates); <see cref="Theme"/> is the Focus 5 theme it triangulates with.
/// </summary>
public sealed record KpiDefinition(
    string Code,
    string Name,
    KpiUnit Unit,
    Polarity Polarity,
    string? StatutoryTimescale,
    Theme? Theme,
    double? Target,
    string Description)
{
    public bool IsRate => Unit == KpiUnit.Rate;
}
