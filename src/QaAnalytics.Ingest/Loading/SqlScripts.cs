using System.Collections.Concurrent;
using System.Reflection;

namespace QaAnalytics.Ingest.Loading;

/// <summary>The embedded <c>Sql/*.sql</c> files, loaded by file name.</summary>
public static class SqlScripts
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <summary>The text of <c>Sql/<paramref name="fileName"/></c>.</summary>
    public static string Get(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var resource = $"QaAnalytics.Ingest.Sql.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
