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

/// <summary>Which kind of signal a feature is: the grade history a QA lead already sees, or a signal beside it.</summary>
public enum SignalKind
{
    /// <summary>The audit grade history: levels, changes, the usual level, counts, moderation.</summary>
    History,

    /// <summary>Workforce pressure: caseload and agency workers (the planted driver of the sample data).</summary>
    Workforce,

    /// <summary>Compliance: the paired KPIs and audit requests returned on time.</summary>
    Compliance,

    /// <summary>Complaints about the team.</summary>
    Complaints,
}

/// <summary>
/// One model feature: its column in <c>Sql/risk_features.sql</c> (and in the ML.NET row), the
/// words a director reads, its kind of signal, and for a change feature the level it is the change
/// of and over how many quarters.
/// </summary>
/// <param name="Column">Column name in the feature SQL and the ML.NET row.</param>
/// <param name="Words">Plain words for the measure, e.g. "agency-worker rate".</param>
/// <param name="Unit">How values are written.</param>
/// <param name="HigherIsBetter">Whether a higher value is better practice or conditions (null: neither).</param>
/// <param name="Kind">Grade history, or a pressure, compliance or complaints signal.</param>
/// <param name="ChangeOf">For a change feature, the level column it is the change of.</param>
/// <param name="Quarters">For a change feature, over how many quarters (1 or 2).</param>
/// <param name="AgainstYear">A change measured against the mean of the previous four quarters, not against one quarter.</param>
public sealed record RiskFeature(string Column, string Words, FeatureUnit Unit, bool? HigherIsBetter, SignalKind Kind, string? ChangeOf = null, int Quarters = 0, bool AgainstYear = false)
{
    public bool IsChange => ChangeOf is not null;

    /// <summary>Grade history: what the grades-only baseline sees.</summary>
    public bool History => Kind == SignalKind.History;

    /// <summary>A workforce-pressure measure (caseload, agency workers).</summary>
    public bool Pressure => Kind == SignalKind.Workforce;
}

/// <summary>The model's features, in the order of the feature vector.</summary>
public static class RiskFeatures
{
    private const SignalKind H = SignalKind.History;
    private const SignalKind W = SignalKind.Workforce;
    private const SignalKind C = SignalKind.Compliance;
    private const SignalKind P = SignalKind.Complaints;

    public static readonly IReadOnlyList<RiskFeature> All =
    [
        new("audits", "audits this quarter", FeatureUnit.Count, null, H),
        new("good_or_better_share", "share of audits Good or better", FeatureUnit.Share, true, H),
        new("mean_grade_score", "mean audit grade score", FeatureUnit.Score, true, H),
        new("good_or_better_change_1", "share of audits Good or better", FeatureUnit.Share, true, H, "good_or_better_share", 1),
        new("good_or_better_change_2", "share of audits Good or better", FeatureUnit.Share, true, H, "good_or_better_share", 2),
        new("mean_score_change_1", "mean audit grade score", FeatureUnit.Score, true, H, "mean_grade_score", 1),
        new("mean_score_change_2", "mean audit grade score", FeatureUnit.Score, true, H, "mean_grade_score", 2),
        new("mean_score_vs_year", "mean audit grade score", FeatureUnit.Score, true, H, "mean_grade_score", 4, AgainstYear: true),
        new("good_or_better_vs_year", "share of audits Good or better", FeatureUnit.Share, true, H, "good_or_better_share", 4, AgainstYear: true),
        new("usual_audits", "audits over the last four quarters", FeatureUnit.Count, null, H),
        new("usual_mean_score", "mean audit grade score over the last four quarters", FeatureUnit.Score, true, H),
        new("usual_good_share", "share of audits Good or better over the last four quarters", FeatureUnit.Share, true, H),
        new("downgrade_rate", "share of moderated audits downgraded", FeatureUnit.Share, false, H),
        new("inadequate_audits", "Inadequate audits", FeatureUnit.Count, false, H),
        new("return_rate", "audit requests returned by the due date", FeatureUnit.Share, true, C),
        new("visits_rate", "visits in timescale", FeatureUnit.Percent, true, C),
        new("supervision_rate", "supervision in timescale", FeatureUnit.Percent, true, C),
        new("chronology_rate", "chronologies up to date", FeatureUnit.Percent, true, C),
        new("plans_rate", "plans reviewed on time", FeatureUnit.Percent, true, C),
        new("assessments_rate", "assessments within 45 working days", FeatureUnit.Percent, true, C),
        new("icpc_rate", "initial conferences within 15 working days", FeatureUnit.Percent, true, C),
        new("contact_rate", "contact decisions within 1 working day", FeatureUnit.Percent, true, C),
        new("caseload", "caseload (children per worker)", FeatureUnit.Number, false, W),
        new("caseload_change_1", "caseload (children per worker)", FeatureUnit.Number, false, W, "caseload", 1),
        new("caseload_change_2", "caseload (children per worker)", FeatureUnit.Number, false, W, "caseload", 2),
        new("agency_rate", "agency-worker rate", FeatureUnit.Percent, false, W),
        new("agency_rate_change_1", "agency-worker rate", FeatureUnit.Percent, false, W, "agency_rate", 1),
        new("agency_rate_change_2", "agency-worker rate", FeatureUnit.Percent, false, W, "agency_rate", 2),
        new("complaints_per_worker", "complaints per worker", FeatureUnit.Number, false, P),
        new("stage1_on_time_rate", "stage 1 complaints answered on time", FeatureUnit.Share, true, P),
    ];

    /// <summary>The feature columns, in vector order.</summary>
    public static readonly string[] Columns = All.Select(f => f.Column).ToArray();

    /// <summary>The grade-history columns: the baseline's features.</summary>
    public static readonly string[] HistoryColumns = All.Where(f => f.History).Select(f => f.Column).ToArray();

    /// <summary>The columns beside the grade history (pressure, compliance, complaints).</summary>
    public static readonly string[] SignalColumns = All.Where(f => !f.History).Select(f => f.Column).ToArray();

    public static RiskFeature Get(string column) => All.First(f => f.Column == column);
}
