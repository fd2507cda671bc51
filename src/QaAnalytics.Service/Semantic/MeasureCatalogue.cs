namespace QaAnalytics.Service.Semantic;

/// <summary>A figure the service publishes: what it means, its unit, which way is good, and what it is a share of.</summary>
public sealed record Measure(string Name, string Description, string Unit, string Polarity, string? Denominator, string Rpc, string Column);

/// <summary>
/// The measures the RPCs publish, declared once for the catalogue (and, with the generic query
/// still to come, for the semantic model). Column names match the RPC result tables.
/// </summary>
public static class MeasureCatalogue
{
    public static IReadOnlyList<Measure> All { get; } =
    [
        new("audits", "Completed audits (Practice Learning Reviews)", "count", "neutral", null, "GetGradeDistribution", "audits"),
        new("share_good_or_better", "Audits whose effective grade (moderated where moderated) is Good or Outstanding", "share", "higher_is_better", "audits", "GetGradeDistribution", "effective_good_or_better_share"),
        new("share_inadequate", "Audits whose effective grade is Inadequate", "share", "lower_is_better", "audits", "GetGradeDistribution", "effective_inadequate_share"),
        new("change_good_or_better", "Share Good or better minus the unit's previous period", "share_points", "higher_is_better", null, "GetGradeDistribution", "change_good_or_better_share"),
        new("share_moderated", "Audits moderated by the QA service", "share", "neutral", "audits", "GetModeration", "moderated_share"),
        new("moderation_agreement_rate", "Moderated audits whose grade the moderator left unchanged", "share", "higher_is_better", "moderated", "GetModeration", "agreement_rate"),
        new("audit_return_rate", "Audit requests returned by managers", "share", "higher_is_better", "sent", "GetAuditCompliance", "return_rate"),
        new("audit_on_time_return_rate", "Audit requests returned by their due date", "share", "higher_is_better", "with_due_date", "GetAuditCompliance", "on_time_return_rate"),
        new("inadequate_reaudited_within_6_weeks", "Inadequate audits re-audited within 42 days", "share", "higher_is_better", "inadequate_audits", "GetInadequateFollowUp", "reaudited_within_6_weeks_share"),
        new("complaints", "Complaints received (all stages)", "count", "lower_is_better", null, "GetComplaints", "complaints"),
        new("stage1_on_time_rate", "Stage 1 responses within 10 working days", "share", "higher_is_better", "stage_1_responded", "GetComplaints", "stage_1_on_time_rate"),
        new("stage2_on_time_rate", "Stage 2 responses within 25 working days", "share", "higher_is_better", "stage_2_responded", "GetComplaints", "stage_2_on_time_rate"),
        new("kpi_rate", "A rate KPI: summed numerator over summed denominator, as a percentage", "percent", "per KPI (dim_kpi.polarity)", "denominator", "GetKpiTrend", "value"),
        new("theme_share_good_or_better", "Theme grades Good or Outstanding, per Focus 5 theme", "share", "higher_is_better", "audits", "GetTriangulation", "share_good_or_better"),
        new("theme_kpi_rate", "The theme's paired compliance KPI rate", "percent", "higher_is_better", "kpi_denominator", "GetTriangulation", "kpi_rate"),
    ];
}
