using System.Globalization;

namespace QaAnalytics.Service.Errors;

/// <summary>
/// A result over the row cap of one call (<see cref="ServiceOptions.MaxRowsPerCall"/>): mapped to
/// FailedPrecondition at the edge, with how to narrow the query.
/// </summary>
public sealed class ResultTooLargeException(long maxRows) : Exception(
    $"The result has more than {maxRows.ToString("N0", CultureInfo.InvariantCulture)} rows, the most one call may return (QaAnalytics:MaxRowsPerCall). " + Narrow)
{
    /// <summary>How to ask for less, for every refusal of a query too big to answer.</summary>
    public const string Narrow =
        "Narrow the query: a coarser grain (financial quarter or year rather than month or rolling windows), fewer councils or teams (scope), fewer dimensions or filter values, or a shorter period.";

    public long MaxRows { get; } = maxRows;
}
