using Grpc.Core;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Service.Errors;

/// <summary>
/// How one typed failure is answered at every edge: the gRPC status, the HTTP status with its
/// problem title, and the OData error code, with a detail short enough for any client.
/// </summary>
/// <param name="Grpc">The gRPC status code.</param>
/// <param name="Http">The HTTP status code (the JSON API and OData).</param>
/// <param name="Title">The RFC 9457 problem title.</param>
/// <param name="Code">The OData error code.</param>
/// <param name="Detail">What the caller reads, cut to <see cref="EdgeErrors.MaxDetail"/>.</param>
/// <param name="Field">The request field at fault, for a bad argument.</param>
public sealed record EdgeError(StatusCode Grpc, int Http, string Title, string Code, string Detail, string? Field = null);

/// <summary>The one table from the domain's typed exceptions to edge answers; anything else is the edge's own internal error.</summary>
public static class EdgeErrors
{
    /// <summary>The answer to <paramref name="exception"/>, or null when it is not one of the typed failures.</summary>
    public static EdgeError? Of(Exception exception) => exception switch
    {
        BadArgumentException bad => new(StatusCode.InvalidArgument, 400, "Bad request", "BadRequest", Detail(bad.Message), bad.Field),
        NotFoundException => new(StatusCode.NotFound, 404, "Not found", "NotFound", Detail(exception.Message)),
        AccessDeniedException => new(StatusCode.PermissionDenied, 403, "Forbidden", "Forbidden", Detail(exception.Message)),
        QueryTimeoutException => new(StatusCode.DeadlineExceeded, 504, "Query timed out", "Timeout", Detail(exception.Message)),
        ResultTooLargeException => new(StatusCode.FailedPrecondition, 422, "Result too large", "ResultTooLarge", Detail(exception.Message)),
        MemoryBudgetException => new(StatusCode.FailedPrecondition, 422, "Query needs too much memory", "MemoryBudgetExceeded", Detail(exception.Message)),
        SnapshotException => new(StatusCode.Unavailable, 503, "No snapshot", "Unavailable", Detail(exception.Message)),
        _ => null,
    };

    /// <summary>The longest detail sent; a longer message keeps its start and end.</summary>
    public const int MaxDetail = 1000;

    /// <summary>
    /// A status detail short enough for any client. It travels as the grpc-message trailer, and a
    /// message quoting a huge request value (a 1 MB team id, say) passed the .NET client's 64 KB
    /// header limit: the client aborted the whole HTTP/2 connection, so that call and every other
    /// call on the connection failed Unavailable. Found by the fuzz.
    /// </summary>
    public static string Detail(string message) => message.Length <= MaxDetail
        ? message
        : string.Concat(message.AsSpan(0, MaxDetail / 2), $" … ({message.Length - MaxDetail:N0} characters left out) … ", message.AsSpan(message.Length - MaxDetail / 2));
}
