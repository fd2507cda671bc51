namespace QaAnalytics.Models.Audits;

/// <summary>The re-audit rule: an Inadequate case is audited again within six weeks.</summary>
public static class Reaudit
{
    /// <summary>West Sussex re-audits an Inadequate case after 6 weeks: a re-audit counts as on time up to 42 days after the Inadequate audit.</summary>
    public const int WindowDays = 42;
}
