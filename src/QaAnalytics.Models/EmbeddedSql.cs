using System.Collections.Concurrent;
using System.Reflection;

namespace QaAnalytics.Models;

/// <summary>
/// SQL files embedded in an assembly as <c>{prefix}.{file name}</c>, read once and cached, so long
/// analytic SQL lives in <c>.sql</c> files an analyst can read and run as they are.
/// </summary>
public sealed class EmbeddedSql(Assembly assembly, string prefix)
{
    private readonly ConcurrentDictionary<string, string> _cache = new();

    /// <summary>The text of the embedded file <paramref name="fileName"/>.</summary>
    public string Get(string fileName) => _cache.GetOrAdd(fileName, name =>
    {
        var resource = $"{prefix}.{name}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
