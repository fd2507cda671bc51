namespace QaAnalytics.Ingest.Sample;

/// <summary>The compliance (rate) KPIs the generator simulates; the order indexes per-team arrays.</summary>
internal enum ComplianceKpi
{
    Visits,
    Supervision,
    Chronology,
    Plans,
    Assessments,
    Icpc,
    ContactDecision,
}
