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
