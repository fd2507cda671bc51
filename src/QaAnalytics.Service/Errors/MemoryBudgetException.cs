using System.Text.RegularExpressions;

namespace QaAnalytics.Service.Errors;

/// <summary>
/// A query that needs more memory than DuckDB may use for a snapshot (<see cref="ServiceOptions.DuckDbMemoryMegabytes"/>)
/// even after spilling to disk (DuckDB's "Out of Memory Error"): mapped to FailedPrecondition at the
/// edge, with how to narrow the query. The instance goes on serving; only this query failed.
/// </summary>
public sealed partial class MemoryBudgetException(string duckDbMessage, Exception inner) : Exception(
    $"The query needs more memory than DuckDB may use for it (QaAnalytics:DuckDbMemoryMegabytes{Budget(duckDbMessage)}), even spilling to disk. " +
    ResultTooLargeException.Narrow + " Or ask the operator to raise QaAnalytics:DuckDbMemoryMegabytes.", inner)
{
    /// <summary>The budget as DuckDB gives it ("(59.2 MiB/64.0 MiB used)" → ", 64.0 MiB"), or "" when its message has none.</summary>
    private static string Budget(string message) => UsedOfLimit().Match(message) is { Success: true } m ? ", " + m.Groups[1].Value : "";

    [GeneratedRegex(@"\([0-9.]+ [KMGT]?i?B/([0-9.]+ [KMGT]?i?B) used\)")]
    private static partial Regex UsedOfLimit();
}
