namespace QaAnalytics.Models.Risk;

/// <summary>
/// A team's risk of declining practice quality over the next two quarters: the probability, its
/// band, and the features that pushed it up most, in words — all of them (<see cref="Reasons"/>,
/// largest first), and apart: the pressure, compliance and complaints signals
/// (<see cref="DriversPressure"/>) and the grade history (<see cref="DriversHistory"/>). A prompt for
/// a conversation, never a decision.
/// </summary>
public sealed record RiskFlag(
    string LaCode, string ServiceArea, string TeamId, string TeamName, string Quarter, DateOnly QuarterStart,
    double Probability, string Band, IReadOnlyList<string> Reasons, IReadOnlyList<string> ReasonFeatures,
    long Audits, bool InTrainingWindow, IReadOnlyList<string> DriversPressure, IReadOnlyList<string> DriversHistory);
