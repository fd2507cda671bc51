using QaAnalytics.Models;

namespace QaAnalytics.Ingest.Loading;

/// <summary>The embedded <c>Sql/*.sql</c> files, loaded by file name.</summary>
public static class SqlScripts
{
    private static readonly EmbeddedSql Files = new(typeof(SqlScripts).Assembly, "QaAnalytics.Ingest.Sql");

    /// <summary>The text of <c>Sql/<paramref name="fileName"/></c>.</summary>
    public static string Get(string fileName) => Files.Get(fileName);
}
