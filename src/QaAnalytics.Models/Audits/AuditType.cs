namespace QaAnalytics.Models.Audits;

/// <summary>The kinds of audit a QA service completes; the string is the contract spelling.</summary>
public static class AuditType
{
    public const string Case = "case";
    public const string Collaborative = "collaborative";
    public const string Thematic = "thematic";
    public const string ReAudit = "re-audit";

    public static IReadOnlyList<string> All { get; } = [Case, Collaborative, Thematic, ReAudit];
}
