namespace QaAnalytics.Ingest.Sample;

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
