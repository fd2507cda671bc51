namespace QaAnalytics.Models.Risk;

/// <summary>
/// A team's risk of declining practice quality next quarter: the probability, its band, and the
/// features that pushed it up most, in words. A prompt for a conversation, never a decision.
/// </summary>
public sealed record RiskFlag(
    string LaCode, string ServiceArea, string TeamId, string TeamName, string Quarter, DateOnly QuarterStart,
    double Probability, string Band, IReadOnlyList<string> Reasons, IReadOnlyList<string> ReasonFeatures,
    long Audits, bool InTrainingWindow);
