using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Arrow;

/// <summary>A named table of a response, from one snapshot.</summary>
public sealed record TableResult(string Table, Snapshot Snapshot, ArrowResult Result)
{
    /// <summary>What the caller was given (scope, grouping, suppression), for the access log.</summary>
    public string Access { get; init; } = "";
}
