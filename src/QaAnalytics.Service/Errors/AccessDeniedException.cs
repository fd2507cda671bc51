namespace QaAnalytics.Service.Errors;

/// <summary>The caller may not see what the request asks for (mapped to PermissionDenied at the edge).</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
