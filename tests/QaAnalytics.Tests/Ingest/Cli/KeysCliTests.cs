using QaAnalytics.Ingest.Cli;
using QaAnalytics.Models.Access;

namespace QaAnalytics.Tests.Ingest.Cli;

/// <summary><c>qa-ingest keys issue|list|revoke</c> through the real command line.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysCliTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Keys_IssueListRevoke_KeyPrintedOnceStoredHashed()
    {
        var (issueExit, key, _) = await Run("keys", "issue", "--db", _files.DbPath, "--role", "analyst", "--la-code", "938", "--name", "Power BI: QA board");
        var store = new ApiKeyStore(ApiKeyStore.BesideDatabase(_files.DbPath));
        var record = Assert.Single(store.List());
        var (listExit, listed, _) = await Run("keys", "list", "--db", _files.DbPath);
        var (revokeExit, _, revoked) = await Run("keys", "revoke", "--db", _files.DbPath, record.Id);
        var (missingExit, _, missing) = await Run("keys", "revoke", "--db", _files.DbPath, "nosuchkey");
        var (badRoleExit, _, badRole) = await Run("keys", "issue", "--db", _files.DbPath, "--role", "team_manager", "--la-code", "938");

        Assert.Equal(ExitCodes.Ok, issueExit);
        Assert.Equal(record, ApiKeyStore.Match([record], key.Trim()));
        Assert.Equal(ExitCodes.Ok, listExit);
        Assert.Contains(record.Id, listed, StringComparison.Ordinal);
        Assert.Contains("Power BI: QA board", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), listed, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, revokeExit);
        Assert.Contains(record.Id, revoked, StringComparison.Ordinal);
        Assert.True(Assert.Single(store.List()).Revoked);
        Assert.Equal(ExitCodes.InputRefused, missingExit);
        Assert.Contains("no key nosuchkey", missing, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badRoleExit);
        Assert.Contains("--team-id", badRole, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });
        Spectre.Console.AnsiConsole.Console.Profile.Width = 200;
        try
        {
            var exit = await IngestCli.RunAsync(args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stdout) });
        }
    }
}
