namespace QaAnalytics.Service.Errors;

/// <summary>Something the request names that the snapshot does not hold (mapped to NotFound at the edge).</summary>
public sealed class NotFoundException(string message) : Exception(message);
