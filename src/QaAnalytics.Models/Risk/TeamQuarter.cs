using Microsoft.ML.Data;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// One team × financial quarter of <c>Sql/risk_features.sql</c>: who and when, the features (NaN
/// where the snapshot has no figure, e.g. a KPI the team does not report) and the label. An ML.NET
/// row type, so a class with settable properties; column names match the SQL.
/// </summary>
public sealed class TeamQuarter
{
    [NoColumn]
    public string TeamId { get; set; } = "";

    [NoColumn]
    public string LaCode { get; set; } = "";

    [NoColumn]
    public string ServiceArea { get; set; } = "";

    [NoColumn]
    public string TeamName { get; set; } = "";

    [NoColumn]
    public string Quarter { get; set; } = "";

    [NoColumn]
    public DateOnly QuarterStart { get; set; }

    /// <summary>0 for the first quarter of the snapshot, 1 for the next, …</summary>
    [NoColumn]
    public int QuarterIndex { get; set; }

    /// <summary>Null where the label is unknown (too few audits, or no next quarter yet).</summary>
    [NoColumn]
    public bool? Declined { get; set; }

    /// <summary>The label as ML.NET reads it (false where unknown; such rows are never trained on).</summary>
    [ColumnName("Label")]
    public bool Label { get => Declined ?? false; set => Declined = value; }

    // The model's features, in the order of the feature vector: each declared once, here, with its
    // words and kind; RiskFeatures.All, the accessors and the reader's column list derive from these.
    [Feature("audits this quarter", FeatureUnit.Count, SignalKind.History)]
    [ColumnName("audits")]
    public float Audits { get; set; } = float.NaN;

    [Feature("share of audits Good or better", FeatureUnit.Share, SignalKind.History, Better = Better.Higher)]
    [ColumnName("good_or_better_share")]
    public float GoodOrBetterShare { get; set; } = float.NaN;

    [Feature("mean audit grade score", FeatureUnit.Score, SignalKind.History, Better = Better.Higher)]
    [ColumnName("mean_grade_score")]
    public float MeanGradeScore { get; set; } = float.NaN;

    [Feature("share of audits Good or better", FeatureUnit.Share, SignalKind.History, Better = Better.Higher, ChangeOf = "good_or_better_share", Quarters = 1)]
    [ColumnName("good_or_better_change_1")]
    public float GoodOrBetterChange1 { get; set; } = float.NaN;

    [Feature("share of audits Good or better", FeatureUnit.Share, SignalKind.History, Better = Better.Higher, ChangeOf = "good_or_better_share", Quarters = 2)]
    [ColumnName("good_or_better_change_2")]
    public float GoodOrBetterChange2 { get; set; } = float.NaN;

    [Feature("mean audit grade score", FeatureUnit.Score, SignalKind.History, Better = Better.Higher, ChangeOf = "mean_grade_score", Quarters = 1)]
    [ColumnName("mean_score_change_1")]
    public float MeanScoreChange1 { get; set; } = float.NaN;

    [Feature("mean audit grade score", FeatureUnit.Score, SignalKind.History, Better = Better.Higher, ChangeOf = "mean_grade_score", Quarters = 2)]
    [ColumnName("mean_score_change_2")]
    public float MeanScoreChange2 { get; set; } = float.NaN;

    [Feature("mean audit grade score", FeatureUnit.Score, SignalKind.History, Better = Better.Higher, ChangeOf = "mean_grade_score", Quarters = 4, AgainstYear = true)]
    [ColumnName("mean_score_vs_year")]
    public float MeanScoreVsYear { get; set; } = float.NaN;

    [Feature("share of audits Good or better", FeatureUnit.Share, SignalKind.History, Better = Better.Higher, ChangeOf = "good_or_better_share", Quarters = 4, AgainstYear = true)]
    [ColumnName("good_or_better_vs_year")]
    public float GoodOrBetterVsYear { get; set; } = float.NaN;

    [Feature("audits over the last four quarters", FeatureUnit.Count, SignalKind.History)]
    [ColumnName("usual_audits")]
    public float UsualAudits { get; set; } = float.NaN;

    [Feature("mean audit grade score over the last four quarters", FeatureUnit.Score, SignalKind.History, Better = Better.Higher)]
    [ColumnName("usual_mean_score")]
    public float UsualMeanScore { get; set; } = float.NaN;

    [Feature("share of audits Good or better over the last four quarters", FeatureUnit.Share, SignalKind.History, Better = Better.Higher)]
    [ColumnName("usual_good_share")]
    public float UsualGoodShare { get; set; } = float.NaN;

    [Feature("share of moderated audits downgraded", FeatureUnit.Share, SignalKind.History, Better = Better.Lower)]
    [ColumnName("downgrade_rate")]
    public float DowngradeRate { get; set; } = float.NaN;

    [Feature("Inadequate audits", FeatureUnit.Count, SignalKind.History, Better = Better.Lower)]
    [ColumnName("inadequate_audits")]
    public float InadequateAudits { get; set; } = float.NaN;

    [Feature("audit requests returned by the due date", FeatureUnit.Share, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("return_rate")]
    public float ReturnRate { get; set; } = float.NaN;

    [Feature("visits in timescale", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("visits_rate")]
    public float VisitsRate { get; set; } = float.NaN;

    [Feature("supervision in timescale", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("supervision_rate")]
    public float SupervisionRate { get; set; } = float.NaN;

    [Feature("chronologies up to date", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("chronology_rate")]
    public float ChronologyRate { get; set; } = float.NaN;

    [Feature("plans reviewed on time", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("plans_rate")]
    public float PlansRate { get; set; } = float.NaN;

    [Feature("assessments within 45 working days", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("assessments_rate")]
    public float AssessmentsRate { get; set; } = float.NaN;

    [Feature("initial conferences within 15 working days", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("icpc_rate")]
    public float IcpcRate { get; set; } = float.NaN;

    [Feature("contact decisions within 1 working day", FeatureUnit.Percent, SignalKind.Compliance, Better = Better.Higher)]
    [ColumnName("contact_rate")]
    public float ContactRate { get; set; } = float.NaN;

    [Feature("caseload (children per worker)", FeatureUnit.Number, SignalKind.Workforce, Better = Better.Lower)]
    [ColumnName("caseload")]
    public float Caseload { get; set; } = float.NaN;

    [Feature("caseload (children per worker)", FeatureUnit.Number, SignalKind.Workforce, Better = Better.Lower, ChangeOf = "caseload", Quarters = 1)]
    [ColumnName("caseload_change_1")]
    public float CaseloadChange1 { get; set; } = float.NaN;

    [Feature("caseload (children per worker)", FeatureUnit.Number, SignalKind.Workforce, Better = Better.Lower, ChangeOf = "caseload", Quarters = 2)]
    [ColumnName("caseload_change_2")]
    public float CaseloadChange2 { get; set; } = float.NaN;

    [Feature("agency-worker rate", FeatureUnit.Percent, SignalKind.Workforce, Better = Better.Lower)]
    [ColumnName("agency_rate")]
    public float AgencyRate { get; set; } = float.NaN;

    [Feature("agency-worker rate", FeatureUnit.Percent, SignalKind.Workforce, Better = Better.Lower, ChangeOf = "agency_rate", Quarters = 1)]
    [ColumnName("agency_rate_change_1")]
    public float AgencyRateChange1 { get; set; } = float.NaN;

    [Feature("agency-worker rate", FeatureUnit.Percent, SignalKind.Workforce, Better = Better.Lower, ChangeOf = "agency_rate", Quarters = 2)]
    [ColumnName("agency_rate_change_2")]
    public float AgencyRateChange2 { get; set; } = float.NaN;

    [Feature("complaints per worker", FeatureUnit.Number, SignalKind.Complaints, Better = Better.Lower)]
    [ColumnName("complaints_per_worker")]
    public float ComplaintsPerWorker { get; set; } = float.NaN;

    [Feature("stage 1 complaints answered on time", FeatureUnit.Share, SignalKind.Complaints, Better = Better.Higher)]
    [ColumnName("stage1_on_time_rate")]
    public float Stage1OnTimeRate { get; set; } = float.NaN;

    /// <summary>A copy with the same identity, label and features.</summary>
    public TeamQuarter Copy() => (TeamQuarter)MemberwiseClone();

    /// <summary>The value of a feature column by name.</summary>
    public float Value(string column) => RiskFeatures.Property(column).Get(this);

    internal void Set(string column, float value) => RiskFeatures.Property(column).Set(this, value);
}
