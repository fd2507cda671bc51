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

    [ColumnName("audits")]
    public float Audits { get; set; } = float.NaN;

    [ColumnName("good_or_better_share")]
    public float GoodOrBetterShare { get; set; } = float.NaN;

    [ColumnName("mean_grade_score")]
    public float MeanGradeScore { get; set; } = float.NaN;

    [ColumnName("good_or_better_change_1")]
    public float GoodOrBetterChange1 { get; set; } = float.NaN;

    [ColumnName("good_or_better_change_2")]
    public float GoodOrBetterChange2 { get; set; } = float.NaN;

    [ColumnName("mean_score_change_1")]
    public float MeanScoreChange1 { get; set; } = float.NaN;

    [ColumnName("mean_score_change_2")]
    public float MeanScoreChange2 { get; set; } = float.NaN;

    [ColumnName("downgrade_rate")]
    public float DowngradeRate { get; set; } = float.NaN;

    [ColumnName("return_rate")]
    public float ReturnRate { get; set; } = float.NaN;

    [ColumnName("inadequate_audits")]
    public float InadequateAudits { get; set; } = float.NaN;

    [ColumnName("visits_rate")]
    public float VisitsRate { get; set; } = float.NaN;

    [ColumnName("supervision_rate")]
    public float SupervisionRate { get; set; } = float.NaN;

    [ColumnName("chronology_rate")]
    public float ChronologyRate { get; set; } = float.NaN;

    [ColumnName("plans_rate")]
    public float PlansRate { get; set; } = float.NaN;

    [ColumnName("assessments_rate")]
    public float AssessmentsRate { get; set; } = float.NaN;

    [ColumnName("icpc_rate")]
    public float IcpcRate { get; set; } = float.NaN;

    [ColumnName("contact_rate")]
    public float ContactRate { get; set; } = float.NaN;

    [ColumnName("caseload")]
    public float Caseload { get; set; } = float.NaN;

    [ColumnName("caseload_change_1")]
    public float CaseloadChange1 { get; set; } = float.NaN;

    [ColumnName("agency_rate")]
    public float AgencyRate { get; set; } = float.NaN;

    [ColumnName("agency_rate_change_1")]
    public float AgencyRateChange1 { get; set; } = float.NaN;

    [ColumnName("complaints_per_worker")]
    public float ComplaintsPerWorker { get; set; } = float.NaN;

    [ColumnName("stage1_on_time_rate")]
    public float Stage1OnTimeRate { get; set; } = float.NaN;

    [ColumnName("mean_score_vs_year")]
    public float MeanScoreVsYear { get; set; } = float.NaN;

    [ColumnName("good_or_better_vs_year")]
    public float GoodOrBetterVsYear { get; set; } = float.NaN;

    [ColumnName("caseload_change_2")]
    public float CaseloadChange2 { get; set; } = float.NaN;

    [ColumnName("agency_rate_change_2")]
    public float AgencyRateChange2 { get; set; } = float.NaN;

    [ColumnName("usual_audits")]
    public float UsualAudits { get; set; } = float.NaN;

    [ColumnName("usual_mean_score")]
    public float UsualMeanScore { get; set; } = float.NaN;

    [ColumnName("usual_good_share")]
    public float UsualGoodShare { get; set; } = float.NaN;

    /// <summary>A copy with the same identity, label and features.</summary>
    public TeamQuarter Copy() => (TeamQuarter)MemberwiseClone();

    /// <summary>The value of a feature column by name.</summary>
    public float Value(string column) => Accessors.Get[column](this);

    internal void Set(string column, float value) => Accessors.Set[column](this, value);

    private static class Accessors
    {
        public static readonly Dictionary<string, Func<TeamQuarter, float>> Get = new(StringComparer.Ordinal)
        {
            ["audits"] = r => r.Audits,
            ["usual_audits"] = r => r.UsualAudits,
            ["usual_mean_score"] = r => r.UsualMeanScore,
            ["usual_good_share"] = r => r.UsualGoodShare,
            ["mean_score_vs_year"] = r => r.MeanScoreVsYear,
            ["good_or_better_vs_year"] = r => r.GoodOrBetterVsYear,
            ["caseload_change_2"] = r => r.CaseloadChange2,
            ["agency_rate_change_2"] = r => r.AgencyRateChange2,
            ["good_or_better_share"] = r => r.GoodOrBetterShare,
            ["mean_grade_score"] = r => r.MeanGradeScore,
            ["good_or_better_change_1"] = r => r.GoodOrBetterChange1,
            ["good_or_better_change_2"] = r => r.GoodOrBetterChange2,
            ["mean_score_change_1"] = r => r.MeanScoreChange1,
            ["mean_score_change_2"] = r => r.MeanScoreChange2,
            ["downgrade_rate"] = r => r.DowngradeRate,
            ["return_rate"] = r => r.ReturnRate,
            ["inadequate_audits"] = r => r.InadequateAudits,
            ["visits_rate"] = r => r.VisitsRate,
            ["supervision_rate"] = r => r.SupervisionRate,
            ["chronology_rate"] = r => r.ChronologyRate,
            ["plans_rate"] = r => r.PlansRate,
            ["assessments_rate"] = r => r.AssessmentsRate,
            ["icpc_rate"] = r => r.IcpcRate,
            ["contact_rate"] = r => r.ContactRate,
            ["caseload"] = r => r.Caseload,
            ["caseload_change_1"] = r => r.CaseloadChange1,
            ["agency_rate"] = r => r.AgencyRate,
            ["agency_rate_change_1"] = r => r.AgencyRateChange1,
            ["complaints_per_worker"] = r => r.ComplaintsPerWorker,
            ["stage1_on_time_rate"] = r => r.Stage1OnTimeRate,
        };

        public static readonly Dictionary<string, Action<TeamQuarter, float>> Set = new(StringComparer.Ordinal)
        {
            ["audits"] = (r, v) => r.Audits = v,
            ["usual_audits"] = (r, v) => r.UsualAudits = v,
            ["usual_mean_score"] = (r, v) => r.UsualMeanScore = v,
            ["usual_good_share"] = (r, v) => r.UsualGoodShare = v,
            ["mean_score_vs_year"] = (r, v) => r.MeanScoreVsYear = v,
            ["good_or_better_vs_year"] = (r, v) => r.GoodOrBetterVsYear = v,
            ["caseload_change_2"] = (r, v) => r.CaseloadChange2 = v,
            ["agency_rate_change_2"] = (r, v) => r.AgencyRateChange2 = v,
            ["good_or_better_share"] = (r, v) => r.GoodOrBetterShare = v,
            ["mean_grade_score"] = (r, v) => r.MeanGradeScore = v,
            ["good_or_better_change_1"] = (r, v) => r.GoodOrBetterChange1 = v,
            ["good_or_better_change_2"] = (r, v) => r.GoodOrBetterChange2 = v,
            ["mean_score_change_1"] = (r, v) => r.MeanScoreChange1 = v,
            ["mean_score_change_2"] = (r, v) => r.MeanScoreChange2 = v,
            ["downgrade_rate"] = (r, v) => r.DowngradeRate = v,
            ["return_rate"] = (r, v) => r.ReturnRate = v,
            ["inadequate_audits"] = (r, v) => r.InadequateAudits = v,
            ["visits_rate"] = (r, v) => r.VisitsRate = v,
            ["supervision_rate"] = (r, v) => r.SupervisionRate = v,
            ["chronology_rate"] = (r, v) => r.ChronologyRate = v,
            ["plans_rate"] = (r, v) => r.PlansRate = v,
            ["assessments_rate"] = (r, v) => r.AssessmentsRate = v,
            ["icpc_rate"] = (r, v) => r.IcpcRate = v,
            ["contact_rate"] = (r, v) => r.ContactRate = v,
            ["caseload"] = (r, v) => r.Caseload = v,
            ["caseload_change_1"] = (r, v) => r.CaseloadChange1 = v,
            ["agency_rate"] = (r, v) => r.AgencyRate = v,
            ["agency_rate_change_1"] = (r, v) => r.AgencyRateChange1 = v,
            ["complaints_per_worker"] = (r, v) => r.ComplaintsPerWorker = v,
            ["stage1_on_time_rate"] = (r, v) => r.Stage1OnTimeRate = v,
        };
    }
}
