using QaAnalytics.Models.Audits;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// The parameters of the generating model, in one place so docs/sample-data.md and the tests can
/// point at them. Latent scales: pressure has mean about 0.2 and SD about 0.6 across team-quarters
/// (1–2.5 during an episode); quality has SD about 0.5; an audit adds N(0, 0.9) on top.
/// </summary>
internal static class CausalModel
{
    // Pressure: p = a + CouncilWeight·c + episode, with a and c quarterly AR(1).
    public const double PressurePhi = 0.7;
    public const double PressureSd = 0.30;
    public const double ShockProbability = 0.05;
    public const double ShockMin = 0.8;
    public const double ShockMax = 1.5;
    public const double CouncilPhi = 0.6;
    public const double CouncilSd = 0.20;
    public const double CouncilWeight = 0.5;
    public const int BurnInQuarters = 8;
    public const double EpisodeMin = 1.0;
    public const double EpisodeMax = 1.6;
    public const double MonthPressureSd = 0.12;

    // Quality: q_t = base + trend − β(0.6 p_{t−1} + 0.4 p_{t−2}) + η_t − process-driven decline.
    public const double Beta = 0.55;
    public const double Lag1Weight = 0.6;
    public const double Lag2Weight = 0.4;
    public const double TrendPerYear = 0.15;
    public const double TeamBaseSd = 0.25;
    public const double CouncilBaseSd = 0.10;
    public const double QualityNoiseSd = 0.12;
    public const double ProcessDrivenDeclinePerQuarter = 0.18;
    public const double ProcessDrivenDeclineMax = 1.1;
    public const double ProcessDrivenShareMin = 0.10;
    public const double ProcessDrivenShareMax = 0.15;

    /// <summary>Truth label: quality falls by at least this much into the next quarter.</summary>
    public const double DeclineThreshold = 0.25;

    // Compliance: rate = logistic(μ_k + offset − α_k·p_month + noise); process-driven: logistic(3.2 + noise).
    public const double ComplianceOffsetSd = 0.35;
    public const double ComplianceNoiseSd = 0.20;
    public const double ProcessDrivenLogit = 3.2;
    public const double ProcessDrivenNoiseSd = 0.15;

    /// <summary>μ_k by <see cref="ComplianceKpi"/>: logit of the typical rate.</summary>
    public static readonly double[] ComplianceMu = [2.0, 1.5, 1.2, 2.2, 1.7, 1.6, 2.6];

    /// <summary>α_k by <see cref="ComplianceKpi"/>: how hard pressure bites.</summary>
    public static readonly double[] ComplianceAlpha = [0.7, 0.9, 0.5, 0.4, 0.6, 0.4, 0.5];

    // Workforce KPIs.
    public const double CaseloadPerPressure = 3.5;
    public const double AgencyPerPressure = 9.0;

    // Audits: u = q + e, e ~ N(0, AuditNoiseSd); the manager grades u + leniency, a moderator u + N(0, ModeratorNoiseSd).
    public const double AuditNoiseSd = 0.9;
    public const double ManagerLeniencyMean = 0.15;
    public const double ManagerLeniencySd = 0.12;
    public const double ModeratorNoiseSd = 0.40;
    public const double ModeratedShare = 0.20;

    // Theme u_k = q + ThemeShared·e + ThemeKpi·z_k + N(0, ThemeNoiseSd), z_k the paired KPI's deviation.
    public const double ThemeShared = 0.7;
    public const double ThemeKpi = 0.5;
    public const double ThemeNoiseSd = 0.45;

    /// <summary>Yearly trend in quality: per year from the middle of the data.</summary>
    public static double Trend(int quarter, int years) => TrendPerYear * ((quarter + 0.5) / 4.0 - years / 2.0);

    // Cut points on u: below Inadequate → Inadequate, below Ri → RI, below Good → Good, else Outstanding.
    public const double CutInadequate = -1.40;
    public const double CutRi = 0.44;
    public const double CutGood = 1.81;

    public static Grade Cut(double u) =>
        u < CutInadequate ? Grade.Inadequate
        : u < CutRi ? Grade.RequiresImprovement
        : u < CutGood ? Grade.Good
        : Grade.Outstanding;

    /// <summary>A latent value typical of a grade (for re-audits, whose grade is drawn first).</summary>
    public static double Typical(Grade grade) => grade switch
    {
        Grade.Inadequate => CutInadequate - 0.5,
        Grade.RequiresImprovement => (CutInadequate + CutRi) / 2,
        Grade.Good => (CutRi + CutGood) / 2,
        _ => CutGood + 0.4,
    };

    public static ComplianceKpi PairedKpi(Theme theme) => theme switch
    {
        Theme.Chronology => ComplianceKpi.Chronology,
        Theme.Assessment => ComplianceKpi.Assessments,
        Theme.Plan => ComplianceKpi.Plans,
        Theme.Visiting => ComplianceKpi.Visits,
        _ => ComplianceKpi.Supervision,
    };
}
