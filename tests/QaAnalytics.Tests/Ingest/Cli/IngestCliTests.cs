using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Ingest.Cli;

/// <summary>Exit codes scripts rely on, through the real command line.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class IngestCliTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Task<int> Run(params string[] args) => IngestCli.RunAsync(args);

    [Fact]
    public async Task Load_WithDemoKey_ExitsOkAndStatusReadsIt()
    {
        HandMadeDataset.WriteAll(_files);
        Assert.Equal(ExitCodes.Ok, await Run("load", "--db", _files.DbPath, "--from", _files.Input, "--demo-key"));
        Assert.Equal(ExitCodes.Ok, await Run("status", "--db", _files.DbPath));
    }

    [Fact]
    public async Task Load_FailOnRejects_ExitsWithRejectsCode()
    {
        HandMadeDataset.WriteAll(_files);
        Assert.Equal(ExitCodes.Rejects, await Run("load", "--db", _files.DbPath, "--from", _files.Input, "--demo-key", "--fail-on-rejects"));
    }

    [Fact]
    public async Task Load_AuditsWithoutKey_ExitsInputRefused()
    {
        HandMadeDataset.WriteAll(_files);
        var saved = Environment.GetEnvironmentVariable(Pseudonymiser.KeyVariable);
        Environment.SetEnvironmentVariable(Pseudonymiser.KeyVariable, null);
        try
        {
            Assert.Equal(ExitCodes.InputRefused, await Run("load", "--db", _files.DbPath, "--from", _files.Input));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Pseudonymiser.KeyVariable, saved);
        }
    }

    [Fact]
    public async Task Load_ShortKeyFile_ExitsInputRefused()
    {
        HandMadeDataset.WriteAll(_files);
        var keyFile = Path.Combine(_files.Root, "key.txt");
        await File.WriteAllTextAsync(keyFile, "too-short");
        Assert.Equal(ExitCodes.InputRefused, await Run("load", "--db", _files.DbPath, "--from", _files.Input, "--key-file", keyFile));
    }

    [Fact]
    public async Task Load_MissingColumn_ExitsInputRefused()
    {
        _files.Write("teams.csv", "la_code,team_id\n938,T1\n");
        Assert.Equal(ExitCodes.InputRefused, await Run("load", "--db", _files.DbPath, "--from", _files.Input, "--demo-key"));
    }

    [Fact]
    public async Task Load_WhileLocked_ExitsLocked()
    {
        HandMadeDataset.WriteAll(_files);
        using var held = new SnapshotStore(_files.DbPath).AcquireWriterLock();
        Assert.Equal(ExitCodes.Locked, await Run("load", "--db", _files.DbPath, "--from", _files.Input, "--demo-key"));
    }

    [Theory]
    [InlineData("load")]
    [InlineData("load", "--from")]
    [InlineData("load", "--from", "x", "--keep", "0")]
    [InlineData("nonsense")]
    public async Task BadCommandLine_ExitsUsage(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, await Run(args));

    [Fact]
    public async Task Status_NoDatabase_ExitsInputRefused() =>
        Assert.Equal(ExitCodes.InputRefused, await Run("status", "--db", _files.DbPath));

    [Fact]
    public async Task Sample_TooManyCouncils_ExitsUsage() =>
        Assert.Equal(ExitCodes.Usage, await Run("sample", "--out", _files.Input, "--councils", "5000"));
}
