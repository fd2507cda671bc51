namespace QaAnalytics.Models.Risk;

/// <summary>How a feature's value is written in a reason.</summary>
public enum FeatureUnit
{
    /// <summary>A fraction 0–1 written as a percentage ("22%").</summary>
    Share,

    /// <summary>A percentage 0–100 ("35%").</summary>
    Percent,

    /// <summary>Mean grade score on the 1 (Inadequate) – 4 (Outstanding) scale ("2.31").</summary>
    Score,

    /// <summary>A count of audits (small counts are withheld in reasons).</summary>
    Count,

    /// <summary>A plain number with one decimal ("24.1").</summary>
    Number,
}

/// <summary>
/// One model feature: its column in <c>Sql/risk_features.sql</c> (and in the ML.NET row), the
/// words a director reads, and for a change feature the level it is the change of and over how many
/// quarters.
/// </summary>
/// <param name="Column">Column name in the feature SQL and the ML.NET row.</param>
/// <param name="Words">Plain words for the measure, e.g. "agency-worker rate".</param>
/// <param name="Unit">How values are written.</param>
/// <param name="HigherIsBetter">Whether a higher value is better practice or conditions (null: neither).</param>
/// <param name="ChangeOf">For a change feature, the level column it is the change of.</param>
/// <param name="Quarters">For a change feature, over how many quarters (1 or 2).</param>
/// <param name="Pressure">A workforce-pressure measure (caseload, agency workers), the planted driver of the sample data.</param>
/// <param name="AgainstYear">A change measured against the mean of the previous four quarters, not against one quarter.</param>
public sealed record RiskFeature(string Column, string Words, FeatureUnit Unit, bool? HigherIsBetter, string? ChangeOf = null, int Quarters = 0, bool Pressure = false, bool AgainstYear = false)
{
    public bool IsChange => ChangeOf is not null;
}

/// <summary>The model's features, in the order of the feature vector.</summary>
public static class RiskFeatures
{
    public static readonly IReadOnlyList<RiskFeature> All =
    [
        new("audits", "audits this quarter", FeatureUnit.Count, null),
        new("good_or_better_share", "share of audits Good or better", FeatureUnit.Share, true),
        new("mean_grade_score", "mean audit grade score", FeatureUnit.Score, true),
        new("good_or_better_change_1", "share of audits Good or better", FeatureUnit.Share, true, "good_or_better_share", 1),
        new("good_or_better_change_2", "share of audits Good or better", FeatureUnit.Share, true, "good_or_better_share", 2),
        new("mean_score_change_1", "mean audit grade score", FeatureUnit.Score, true, "mean_grade_score", 1),
        new("mean_score_change_2", "mean audit grade score", FeatureUnit.Score, true, "mean_grade_score", 2),
        new("mean_score_vs_year", "mean audit grade score", FeatureUnit.Score, true, "mean_grade_score", 4, AgainstYear: true),
        new("good_or_better_vs_year", "share of audits Good or better", FeatureUnit.Share, true, "good_or_better_share", 4, AgainstYear: true),
        new("downgrade_rate", "share of moderated audits downgraded", FeatureUnit.Share, false),
        new("return_rate", "audit requests returned by the due date", FeatureUnit.Share, true),
        new("inadequate_audits", "Inadequate audits", FeatureUnit.Count, false),
        new("visits_rate", "visits in timescale", FeatureUnit.Percent, true),
        new("supervision_rate", "supervision in timescale", FeatureUnit.Percent, true),
        new("chronology_rate", "chronologies up to date", FeatureUnit.Percent, true),
        new("plans_rate", "plans reviewed on time", FeatureUnit.Percent, true),
        new("assessments_rate", "assessments within 45 working days", FeatureUnit.Percent, true),
        new("icpc_rate", "initial conferences within 15 working days", FeatureUnit.Percent, true),
        new("contact_rate", "contact decisions within 1 working day", FeatureUnit.Percent, true),
        new("caseload", "caseload (children per worker)", FeatureUnit.Number, false, Pressure: true),
        new("caseload_change_1", "caseload (children per worker)", FeatureUnit.Number, false, "caseload", 1, Pressure: true),
        new("caseload_change_2", "caseload (children per worker)", FeatureUnit.Number, false, "caseload", 2, Pressure: true),
        new("agency_rate", "agency-worker rate", FeatureUnit.Percent, false, Pressure: true),
        new("agency_rate_change_1", "agency-worker rate", FeatureUnit.Percent, false, "agency_rate", 1, Pressure: true),
        new("agency_rate_change_2", "agency-worker rate", FeatureUnit.Percent, false, "agency_rate", 2, Pressure: true),
        new("complaints_per_worker", "complaints per worker", FeatureUnit.Number, false),
        new("stage1_on_time_rate", "stage 1 complaints answered on time", FeatureUnit.Share, true),
    ];

    /// <summary>The feature columns, in vector order.</summary>
    public static readonly string[] Columns = All.Select(f => f.Column).ToArray();

    public static RiskFeature Get(string column) => All.First(f => f.Column == column);
}
