namespace QaAnalytics.Ingest.Sample;

/// <summary>File names the generator writes, relative to the output folder.</summary>
public static class SampleFiles
{
    public const string Teams = "teams.csv";
    public const string Audits = "audits.csv";
    public const string AuditRequests = "audit_requests.csv";
    public const string Kpis = "kpis.csv";
    public const string Complaints = "complaints.csv";

    /// <summary>Subfolder for the generating truth; the loader must not load it.</summary>
    public const string TruthFolder = "truth";

    public const string TeamQuarters = "truth/team_quarters.csv";
    public const string ExpectedRejects = "truth/expected_rejects.csv";
    public const string ExpectedOddities = "truth/expected_oddities.csv";
    public const string TruthReadme = "truth/README.md";

    /// <summary>The extract files a loader reads, in load order (teams first).</summary>
    public static IReadOnlyList<string> Extracts { get; } = [Teams, Audits, AuditRequests, Kpis, Complaints];
}

/// <summary>
/// <c>reason_kind</c> values in <c>truth/expected_rejects.csv</c>. Each planted row carries exactly
/// one fault; where a fault could also trip a cross-field rule (a negative denominator is also below
/// its numerator), the single-field kind is the one recorded.
/// </summary>
public static class PlantedRejectKind
{
    public const string UnknownGrade = "unknown_grade";
    public const string UsOrderDate = "us_order_date";
    public const string ImpossibleDate = "impossible_date";
    public const string BlankRequired = "blank_required";
    public const string UnknownTeam = "unknown_team";
    public const string DuplicateId = "duplicate_id";
    public const string ModerationBeforeAudit = "moderation_before_audit";
    public const string NumeratorAboveDenominator = "numerator_above_denominator";
    public const string NegativeDenominator = "negative_denominator";
    public const string NonNumeric = "non_numeric";
    public const string UnknownKpiCode = "unknown_kpi_code";
    public const string BadPeriod = "bad_period";
    public const string InvalidStage = "invalid_stage";
    public const string StageOnNonComplaint = "stage_on_non_complaint";
    public const string RespondedBeforeReceived = "responded_before_received";

    public static IReadOnlyList<string> All { get; } =
    [
        UnknownGrade, UsOrderDate, ImpossibleDate, BlankRequired, UnknownTeam, DuplicateId, ModerationBeforeAudit,
        NumeratorAboveDenominator, NegativeDenominator, NonNumeric, UnknownKpiCode, BadPeriod,
        InvalidStage, StageOnNonComplaint, RespondedBeforeReceived,
    ];
}

/// <summary>
/// <c>kind</c> values in <c>truth/expected_oddities.csv</c>: awkward values a loader must accept
/// as they are (and an export must neutralise or keep intact).
/// </summary>
public static class PlantedOddityKind
{
    /// <summary>Text starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>: a spreadsheet formula if exported naively.</summary>
    public const string FormulaLikeText = "formula_like_text";

    /// <summary>Text with commas and double quotes, so it must be quoted in CSV.</summary>
    public const string QuotedText = "quoted_text";

    /// <summary>A team name with characters outside ASCII, stored as Windows-1252 in dirty mode.</summary>
    public const string NonAsciiCp1252 = "non_ascii_cp1252";
}
