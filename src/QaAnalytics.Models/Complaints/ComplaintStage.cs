namespace QaAnalytics.Models.Complaints;

/// <summary>
/// Stages of the Children Act 1989 representations procedure, with the statutory response
/// timescale in working days where one exists.
/// </summary>
public sealed record ComplaintStage(string Code, string Name, int? ResponseWorkingDays, int? ExtendedWorkingDays)
{
    /// <summary>Stage 1: local resolution, 10 working days (up to 20).</summary>
    public static ComplaintStage Stage1 { get; } = new("1", "Stage 1 (local resolution)", 10, 20);

    /// <summary>Stage 2: investigation, 25 working days (up to 65).</summary>
    public static ComplaintStage Stage2 { get; } = new("2", "Stage 2 (investigation)", 25, 65);

    /// <summary>Stage 3: review panel, convened within 30 working days of the request.</summary>
    public static ComplaintStage Stage3 { get; } = new("3", "Stage 3 (review panel)", 30, null);

    /// <summary>Local Government and Social Care Ombudsman: no council timescale.</summary>
    public static ComplaintStage Lgsco { get; } = new("LGSCO", "Local Government and Social Care Ombudsman", null, null);

    public static IReadOnlyList<ComplaintStage> All { get; } = [Stage1, Stage2, Stage3, Lgsco];
}

/// <summary>Record types and outcomes in complaints.csv (contract spellings).</summary>
public static class ComplaintVocabulary
{
    public const string Complaint = "complaint";
    public const string Compliment = "compliment";
    public const string MpEnquiry = "mp_enquiry";

    public static IReadOnlyList<string> RecordTypes { get; } = [Complaint, Compliment, MpEnquiry];

    public static IReadOnlyList<string> Outcomes { get; } = ["upheld", "partly upheld", "not upheld", "withdrawn"];
}
