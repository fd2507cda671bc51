using Grpc.Core;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Tests.Service.Errors;

/// <summary>One table answers a typed failure at every edge: gRPC, HTTP problem and OData error agree.</summary>
public sealed class EdgeErrorsTests
{
    public static TheoryData<Exception, StatusCode, int> Failures() => new()
    {
        { new BadArgumentException("period.from_month", "not yyyy-mm"), StatusCode.InvalidArgument, 400 },
        { new NotFoundException("team T9 is not in the published data"), StatusCode.NotFound, 404 },
        { new AccessDeniedException("outside your scope"), StatusCode.PermissionDenied, 403 },
        { new QueryTimeoutException(TimeSpan.FromSeconds(1), new OperationCanceledException()), StatusCode.DeadlineExceeded, 504 },
        { new SnapshotException("qa.duckdb", "No published QaAnalytics database"), StatusCode.Unavailable, 503 },
        { new SnapshotSchemaException("qa.duckdb", 2, 1), StatusCode.Unavailable, 503 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Of_TypedFailure_SameAnswerAtEveryEdge(Exception failure, StatusCode grpc, int http)
    {
        var error = EdgeErrors.Of(failure)!;

        Assert.Equal((grpc, http), (error.Grpc, error.Http));
        Assert.Equal(failure.Message, error.Detail);
    }

    [Fact]
    public void Of_BadArgument_NamesTheField() =>
        Assert.Equal("period.from_month", EdgeErrors.Of(new BadArgumentException("period.from_month", "not yyyy-mm"))!.Field);

    [Fact]
    public void Of_UntypedFailure_IsLeftToTheEdge() => Assert.Null(EdgeErrors.Of(new InvalidOperationException("bug")));

    [Fact]
    public void Detail_LongMessage_KeepsStartAndEndUnderTheLimit()
    {
        var detail = EdgeErrors.Detail("a" + new string('x', 5000) + "z");

        Assert.InRange(detail.Length, 1, EdgeErrors.MaxDetail + 100);
        Assert.StartsWith("ax", detail, StringComparison.Ordinal);
        Assert.EndsWith("xz", detail, StringComparison.Ordinal);
    }
}
