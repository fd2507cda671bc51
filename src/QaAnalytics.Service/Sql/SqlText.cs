using System.Collections.Concurrent;
using System.Reflection;

namespace QaAnalytics.Service.Sql;

/// <summary>The embedded <c>Sql/*.sql</c> files of the service, loaded by file name.</summary>
public static class SqlText
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Get(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var resource = $"QaAnalytics.Service.Sql.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
