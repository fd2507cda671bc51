namespace QaAnalytics.Ingest.Sample;

/// <summary>Service areas in teams.csv (contract spellings).</summary>
internal static class ServiceArea
{
    public const string Mash = "MASH";
    public const string Assessment = "Assessment";
    public const string ChildProtection = "Child Protection / Family Safeguarding";
    public const string ChildrenInCare = "Children in Care";
    public const string CareLeavers = "Care Leavers";

    public static IReadOnlyList<string> All { get; } = [Mash, Assessment, ChildProtection, ChildrenInCare, CareLeavers];
}
