namespace QaAnalytics.Models.Risk;

/// <summary>The embedded <c>Risk/Sql/*.sql</c> files, loaded by file name.</summary>
public static class RiskSql
{
    private static readonly EmbeddedSql Files = new(typeof(RiskSql).Assembly, "QaAnalytics.Models.Risk.Sql");

    public static string Get(string fileName) => Files.Get(fileName);
}
