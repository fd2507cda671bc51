namespace QaAnalytics.Service.Errors;

/// <summary>A query ran past its deadline and was interrupted (mapped to DeadlineExceeded at the edge).</summary>
public sealed class QueryTimeoutException(TimeSpan timeout, Exception inner)
    : Exception($"The query ran longer than {timeout.TotalSeconds:0.#} s (QaAnalytics:QueryTimeoutSeconds) and was stopped; ask for less (a shorter period, fewer dimensions) or a coarser grain.", inner);
