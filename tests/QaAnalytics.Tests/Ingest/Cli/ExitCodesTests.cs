using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Risk;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Errors;
using QaAnalytics.Tests.Models.Storage;

namespace QaAnalytics.Tests.Ingest.Cli;

/// <summary>One mapping from a command's failure to its exit code, and the commands that read a snapshot go through it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ExitCodesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qa-exit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<Exception, int> Failures() => new()
    {
        { new PseudonymKeyException("no key"), ExitCodes.InputRefused },
        { new InputFileException("audits.csv", "empty"), ExitCodes.InputRefused },
        { new SnapshotException("qa.duckdb", "nothing published"), ExitCodes.InputRefused },
        { new SnapshotSchemaException("qa.duckdb", 2, 1), ExitCodes.InputRefused },
        { new RiskModelException("too few declines"), ExitCodes.InputRefused },
        { new NotFoundException("council 999 is not in the published data"), ExitCodes.InputRefused },
        { new AccessDeniedException("not yours"), ExitCodes.InputRefused },
        { new BadArgumentException("year", "not a financial year"), ExitCodes.Usage },
        { new LoadLockedException("another load"), ExitCodes.Locked },
        { new OperationCanceledException(), ExitCodes.Unexpected },
        { new IOException("disk full"), ExitCodes.Unexpected },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Of_TypedFailure_HasItsDocumentedCode(Exception failure, int code)
    {
        var (actual, message) = ExitCodes.Of(failure, "load");

        Assert.Equal(code, actual);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public void Of_BadArgument_NamesTheOption() =>
        Assert.Equal("--year: year: not a financial year", ExitCodes.Of(new BadArgumentException("year", "not a financial year"), "report").Message);

    [Fact]
    public void Of_Unexpected_SaysNoDataChanged() =>
        Assert.Equal("The model command stopped unexpectedly and changed no data (IOException): disk full", ExitCodes.Of(new IOException("disk full"), "model command").Message);

    [Fact]
    public async Task Status_SnapshotOfAnotherSchemaVersion_ExitsInputRefusedNamingBothVersions()
    {
        var file = SnapshotContractTests.WriteSnapshot(Path.Combine(_folder, "qa.duckdb"), SnapshotSchema.Version + 1);
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(ExitCodes.InputRefused, await IngestCli.RunAsync(["status", "--db", file]));
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.Contains($"schema version {SnapshotSchema.Version + 1}", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"reads schema version {SnapshotSchema.Version}", error.ToString(), StringComparison.Ordinal);
    }
}
