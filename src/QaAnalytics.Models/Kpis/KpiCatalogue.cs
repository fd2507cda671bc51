using QaAnalytics.Models.Audits;

namespace QaAnalytics.Models.Kpis;

/// <summary>
/// The built-in KPI catalogue. A council adds its own KPIs (or retargets these) with a
/// <c>kpi_definitions.csv</c>; the loader merges that over this list.
/// </summary>
public static class KpiCatalogue
{
    public const string VisitsInTimescale = "VISITS_IN_TIMESCALE";
    public const string SupervisionInTimescale = "SUPERVISION_IN_TIMESCALE";
    public const string AssessmentsIn45Days = "ASSESSMENTS_45WD";
    public const string ChronologyUpToDate = "CHRONOLOGY_UP_TO_DATE";
    public const string PlansReviewedOnTime = "PLANS_REVIEWED_ON_TIME";
    public const string IcpcIn15Days = "ICPC_15WD";
    public const string ContactDecisionIn1Day = "CONTACT_DECISION_1WD";
    public const string Caseload = "CASELOAD";
    public const string AgencyWorkerRate = "AGENCY_RATE";

    public static IReadOnlyList<KpiDefinition> BuiltIn { get; } =
    [
        new(VisitsInTimescale, "Visits in timescale", KpiUnit.Rate, Polarity.HigherIsBetter,
            "Looked-after children: within 1 week of placement, then at most every 6 weeks in year one, then at most every 3 months (reg. 28 Care Planning Regulations 2010); CP visits as set locally",
            Theme.Visiting, 90, "Share of statutory visits due in the month that took place in timescale."),
        new(SupervisionInTimescale, "Supervision in timescale", KpiUnit.Rate, Polarity.HigherIsBetter,
            "Set locally (typically monthly case supervision)",
            Theme.Supervision, 90, "Share of open cases with case supervision recorded within the local timescale."),
        new(AssessmentsIn45Days, "Assessments within 45 working days", KpiUnit.Rate, Polarity.HigherIsBetter,
            "45 working days from referral (Working Together to Safeguard Children)",
            Theme.Assessment, 85, "Share of single assessments completed in the month that were authorised within 45 working days."),
        new(ChronologyUpToDate, "Chronology / case summary up to date", KpiUnit.Rate, Polarity.HigherIsBetter,
            null, Theme.Chronology, 85, "Share of open cases whose chronology or case summary was updated within the local timescale."),
        new(PlansReviewedOnTime, "Plans reviewed on time", KpiUnit.Rate, Polarity.HigherIsBetter,
            "CP plans: review conference within 3 months then every 6 months; CLA: IRO review within 20 working days, 3 months, then 6-monthly",
            Theme.Plan, 90, "Share of plans due for review in the month that were reviewed on time."),
        new(IcpcIn15Days, "ICPC within 15 working days", KpiUnit.Rate, Polarity.HigherIsBetter,
            "15 working days from the strategy discussion",
            null, 85, "Share of initial child protection conferences held within 15 working days of the strategy discussion."),
        new(ContactDecisionIn1Day, "Contact decisions within 1 working day", KpiUnit.Rate, Polarity.HigherIsBetter,
            "1 working day from receipt",
            null, 95, "Share of contacts and referrals with a decision within one working day."),
        new(Caseload, "Average caseload", KpiUnit.Count, Polarity.LowerIsBetter,
            null, null, 18, "Children allocated per case-holding worker (FTE) at month end."),
        new(AgencyWorkerRate, "Agency-worker rate", KpiUnit.Percent, Polarity.LowerIsBetter,
            null, null, 15, "Agency social workers as a percentage of the team's social worker posts at month end."),
    ];

    /// <summary>The built-in KPI paired with each Focus 5 theme for triangulation.</summary>
    public static KpiDefinition PairedWith(Theme theme) => BuiltIn.Single(k => k.Theme == theme);
}
