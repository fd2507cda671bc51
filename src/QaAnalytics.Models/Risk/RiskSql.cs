using System.Collections.Concurrent;
using System.Reflection;

namespace QaAnalytics.Models.Risk;

/// <summary>The embedded <c>Risk/Sql/*.sql</c> files, loaded by file name.</summary>
public static class RiskSql
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Get(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var resource = $"QaAnalytics.Models.Risk.Sql.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
