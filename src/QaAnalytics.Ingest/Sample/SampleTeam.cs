namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// One team and its latent truth. Quarter arrays are indexed by quarter number from the first
/// quarter of the data (0) to one past the last (so the last quarter has a "next quarter" truth).
/// </summary>
internal sealed class SampleTeam
{
    public required int Council { get; init; }
    public required string LaCode { get; init; }
    public required int Number { get; init; }
    public required string TeamId { get; init; }
    public required string Name { get; init; }
    public required string ServiceArea { get; init; }

    /// <summary>Social workers in the team (5–10); scales denominators and audit volume.</summary>
    public required int Workers { get; init; }

    public required bool ProcessDriven { get; init; }

    /// <summary>Latent pressure by quarter, quarters 0..Q (Q = the quarter after the data ends).</summary>
    public required double[] Pressure { get; init; }

    /// <summary>Latent practice quality by quarter, 0..Q.</summary>
    public required double[] Quality { get; init; }

    /// <summary>Whether a sustained pressure episode is running in the quarter, 0..Q.</summary>
    public required bool[] Episode { get; init; }

    /// <summary>Monthly pressure: the quarter's pressure plus month noise.</summary>
    public required double[] MonthPressure { get; init; }

    /// <summary>
    /// Compliance deviation on the logit scale by [month, KPI]: team offset − α·pressure + noise.
    /// The KPI files show it (except for process-driven teams, whose KPIs are pinned high) and the
    /// paired audit themes lean on it.
    /// </summary>
    public required double[,] ComplianceDeviation { get; init; }

    public required double CaseloadBase { get; init; }
    public required double AgencyBase { get; init; }

    /// <summary>Base probability that a manager returns an audit request (0.2–0.8 before pressure).</summary>
    public required double ReturnRate { get; init; }

    public required string[] Managers { get; init; }
    public required string[] WorkerIds { get; init; }

    /// <summary>Relative share of the council's audits.</summary>
    public double AuditWeight => Workers * (ServiceArea == Sample.ServiceArea.Mash ? 0.4 : 1.0);

    public bool Reports(ComplianceKpi kpi) => kpi switch
    {
        ComplianceKpi.ContactDecision => ServiceArea == Sample.ServiceArea.Mash,
        ComplianceKpi.Assessments => ServiceArea == Sample.ServiceArea.Assessment,
        ComplianceKpi.Icpc => ServiceArea == Sample.ServiceArea.ChildProtection,
        ComplianceKpi.Visits or ComplianceKpi.Plans => ServiceArea != Sample.ServiceArea.Mash,
        _ => true,
    };
}
