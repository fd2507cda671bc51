using System.ComponentModel;
using System.Text.Json;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Testing;
using QaAnalytics.Tests.EndToEnd.NodeClient;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.EndToEnd.Browser;

/// <summary>
/// The dashboard in a real browser: Debian's headless chromium driven by playwright-core
/// (tests/browser/dashboard.mjs) against the built qa-service in its own process, over HTTP/1.1 on
/// loopback, in JWT mode with tokens signed by the test key, on the scored sample; plus a second
/// service in Development mode on a snapshot the model never scored. Screenshots of every visit go
/// to <c>artifacts/dashboard-screenshots/</c> (named in the README).
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class DashboardBrowserTests(RiskDataFixture data, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RiskDataFixture, Task<BrowserRun>> Runs = [];

    private BrowserRun _run = null!;

    public async Task InitializeAsync() => _run = await Runs.GetValue(data, BrowserRun.StartAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    private IEnumerable<JsonElement> Visits => _run.Report.GetProperty("visits").EnumerateArray();

    private JsonElement Visit(string name) => Visits.Single(v => v.GetProperty("name").GetString() == name);

    [Fact]
    public void EveryPage_Loads_NoConsoleErrorsOrFailedRequests()
    {
        Assert.Equal(_run.Planned, Visits.Select(v => v.GetProperty("name").GetString()));
        foreach (var visit in Visits)
        {
            Assert.True(visit.GetProperty("consoleErrors").GetArrayLength() == 0, $"{visit.GetProperty("name")}: console errors {visit.GetProperty("consoleErrors")}");
            Assert.True(visit.GetProperty("failedRequests").GetArrayLength() == 0, $"{visit.GetProperty("name")}: failed requests {visit.GetProperty("failedRequests")}");
        }
    }

    [Theory]
    [InlineData("overview")]
    [InlineData("triangulation")]
    [InlineData("risk-flags")]
    [InlineData("team")]
    [InlineData("team-manager-own-team")]
    public void DataPage_Figures_EqualTheServicesForTheSameQuery(string name)
    {
        var visit = Visit(name);
        Assert.True(visit.GetProperty("mismatches").GetArrayLength() == 0, $"{name}: {visit.GetProperty("mismatches")}");
        Assert.True(visit.GetProperty("compared").GetInt32() >= 5, $"{name}: only {visit.GetProperty("compared")} figures compared");
        // Provenance: the snapshot the figures came from, shown on the page.
        Assert.Equal(_run.SnapshotId, visit.GetProperty("snapshotId").GetString());
        Assert.Contains("as of", visit.GetProperty("provenance").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TeamManager_AnotherTeamByEditingTheUrl_NotAvailableToYourRole()
    {
        var other = Visit("team-manager-other-team");
        Assert.Equal("Not available to your role", other.GetProperty("heading").GetString());
        Assert.Equal(0, other.GetProperty("compared").GetInt32());
        Assert.True(other.GetProperty("mismatches").GetArrayLength() == 0, other.GetProperty("mismatches").ToString());
        Assert.DoesNotContain(other.GetProperty("apiUrls").EnumerateArray(), u => u.GetString()!.Contains(_run.OtherTeam, StringComparison.Ordinal));
        var overview = Visit("team-manager-council-overview");
        Assert.Equal("Not available to your role", overview.GetProperty("heading").GetString());
    }

    [Fact]
    public void ExpiredToken_ShowsTheSignInPrompt()
    {
        var visit = Visit("expired-token");
        Assert.Equal("Sign in", visit.GetProperty("heading").GetString());
        Assert.Contains("expired", visit.GetProperty("textSample").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnscoredSnapshot_RiskFlags_SaysSoWithTheCommand()
    {
        var visit = Visit("not-scored");
        Assert.Equal("The model has not scored this snapshot", visit.GetProperty("heading").GetString());
        Assert.Contains("qa-ingest model score", visit.GetProperty("textSample").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentRolePicker_TeamManager_SeesOwnTeamOnly()
    {
        Assert.Equal("Team: Assessment East (T1)", Visit("dev-team-manager-own").GetProperty("heading").GetString());
        Assert.Equal("Not available to your role", Visit("dev-team-manager-other").GetProperty("heading").GetString());
    }

    [Fact]
    public void EveryPage_Axe_NoSeriousOrCriticalViolations()
    {
        foreach (var visit in Visits) Assert.True(visit.GetProperty("axe").GetArrayLength() == 0, $"{visit.GetProperty("name")}: {visit.GetProperty("axe")}");
    }

    [Fact]
    public void EveryPage_Screenshot_Written()
    {
        foreach (var name in _run.Planned) Assert.True(new FileInfo(Path.Combine(_run.Screenshots, name + ".png")).Length > 10_000, $"{name}.png");
        // Timings under test load, for the record (the benchmark command measures them on the national sample).
        foreach (var visit in Visits) output.WriteLine($"{visit.GetProperty("name").GetString()}: data shown {visit.GetProperty("dataMs")} ms after the page asked");
    }
}

/// <summary>Starts the two services, writes the visit plan, runs the browser once and keeps its report.</summary>
public sealed class BrowserRun
{
    private const string Setup = "run the README's test command, `bash scripts/test.sh`, which installs chromium (scripts/install-test-deps.sh) and `npm ci --prefix tests/browser`";

    public required JsonElement Report { get; init; }

    public required string[] Planned { get; init; }

    public required string Screenshots { get; init; }

    public required string SnapshotId { get; init; }

    public required string OtherTeam { get; init; }

    public static async Task<BrowserRun> StartAsync(RiskDataFixture data)
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "tests", "browser", "dashboard.mjs");
        if (!Directory.Exists(Path.Combine(root, "tests", "browser", "node_modules"))) throw new InvalidOperationException($"tests/browser/node_modules is missing: {Setup}.");
        if (!File.Exists("/usr/bin/chromium")) throw new InvalidOperationException($"/usr/bin/chromium is missing: {Setup}.");
        var dll = Path.Combine(AppContext.BaseDirectory, "qa-service.dll");
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "dashboard", "index.html"))) throw new InvalidOperationException("the dashboard bundle was not built (npm missing at build time?)");

        // Service A: the scored sample, bearer JWTs required, small counts withheld as by default.
        var (grpcA, httpA) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        var jwt = TestTokens.Settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        jwt["QaAnalytics__SuppressBelowOrAt"] = "5";
        using var serviceA = ServiceProcess.Start(dll, data.DbPath, grpcA, out var logA, httpA, jwt);
        // Service B: a snapshot the model never scored, Development mode (the role picker).
        using var files = new TestFiles();
        HandMadeDataset.WriteAll(files);
        var loaded = await new Loader(Pseudonymiser.Demo(), new FixedTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero))).LoadAsync(new LoadRequest(files.DbPath, files.Input));
        Assert.False(loaded.Failed);
        var (grpcB, httpB) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        using var serviceB = ServiceProcess.Start(dll, files.DbPath, grpcB, out var logB, httpB);
        try
        {
            await ServiceProcess.WaitUntilServing(serviceA, grpcA, logA, TimeSpan.FromSeconds(30));
            await ServiceProcess.WaitUntilServing(serviceB, grpcB, logB, TimeSpan.FromSeconds(30));

            var teams = data.Rows.Where(r => r.LaCode == "800").Select(r => r.TeamId).Distinct().Order(StringComparer.Ordinal).ToList();
            var (own, other) = (teams[0], teams[1]);
            var otherName = data.Rows.First(r => r.TeamId == other).TeamName;
            var director = TestTokens.For("director", laCode: "800");
            var manager = TestTokens.For("team_manager", laCode: "800", teamId: own, subject: "manager-1");
            var expired = TestTokens.For("director", laCode: "800", expires: DateTime.UtcNow.AddMinutes(-10));
            object[] visits =
            [
                new { name = "overview", hash = "/overview?la_code=800", token = director, signInThroughForm = true },
                new { name = "triangulation", hash = "/triangulation?la_code=800", token = director },
                new { name = "risk-flags", hash = "/risk-flags?la_code=800", token = director },
                new { name = "team", hash = $"/team?team_id={own}", token = director },
                new { name = "team-manager-own-team", hash = $"/team?team_id={own}", token = manager },
                new { name = "team-manager-other-team", hash = $"/team?team_id={other}", token = manager, expect = "refused", absent = new[] { otherName } },
                new { name = "team-manager-council-overview", hash = "/overview?la_code=800", token = manager, expect = "refused" },
                new { name = "expired-token", hash = "/overview", token = expired, expect = "signin" },
                new { name = "not-scored", @base = $"http://127.0.0.1:{httpB}", hash = "/risk-flags", dev = new { role = "director", la_code = "938" }, expect = "not-scored" },
                new { name = "dev-team-manager-own", @base = $"http://127.0.0.1:{httpB}", hash = "/team?team_id=T1", dev = new { role = "team_manager", la_code = "938", team_id = "T1" } },
                new { name = "dev-team-manager-other", @base = $"http://127.0.0.1:{httpB}", hash = "/team?team_id=T2", dev = new { role = "team_manager", la_code = "938", team_id = "T1" }, expect = "refused" },
            ];
            var plan = Path.Combine(files.Input, "plan.json");
            await File.WriteAllTextAsync(plan, JsonSerializer.Serialize(new { visits }));
            var screenshots = Path.Combine(root, "artifacts", "dashboard-screenshots");
            var (exit, stdout, stderr) = await Run("node", [script, "--base", $"http://127.0.0.1:{httpA}", "--plan", plan, "--screenshots", screenshots], root, TimeSpan.FromMinutes(10));
            if (exit != 0) throw new InvalidOperationException($"node dashboard.mjs exited with {exit}: {stderr}\nservice A:\n{ServiceProcess.Tail(logA)}\nservice B:\n{ServiceProcess.Tail(logB)}");
            using var snapshot = data.OpenReadOnly();
            using var cmd = snapshot.CreateCommand();
            cmd.CommandText = "SELECT snapshot_id FROM snapshot_info";
            return new BrowserRun
            {
                Report = JsonDocument.Parse(stdout).RootElement.Clone(),
                Planned = [.. visits.Select(v => (string)v.GetType().GetProperty("name")!.GetValue(v)!)],
                Screenshots = screenshots,
                SnapshotId = (string)cmd.ExecuteScalar()!,
                OtherTeam = other,
            };
        }
        finally
        {
            foreach (var service in new[] { serviceA, serviceB })
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(string file, string[] args, string workingDirectory, TimeSpan timeout)
    {
        try
        {
            return await NodeClientRun.Run(file, args, workingDirectory, timeout);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"node is not on PATH ({ex.Message}): install Node.js 20 or later, then {Setup}.", ex);
        }
    }

    private static string RepositoryRoot() => NodeClientRun.RepositoryRoot();
}
