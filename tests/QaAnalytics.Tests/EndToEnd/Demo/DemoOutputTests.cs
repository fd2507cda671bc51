using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.EndToEnd.Demo;

/// <summary>What a newcomer reads after the Quick start: the demo's output redirected, status after scoring, the smoke check.</summary>
[Collection(DemoCollection.Name)]
public sealed partial class DemoOutputTests(DemoFixture demo, ITestOutputHelper output)
{
    [Fact]
    public void Demo_OutputRedirected_TableRowsKeepRunIdsWhole()
    {
        var lines = demo.DemoOutput.Split('\n');

        // Redirected output used to wrap at 80 columns: "20261130T055309889Z-e │ 6fe2b".
        Assert.Contains(lines, l => l.StartsWith('│') && RunIdCell().IsMatch(l));
        Assert.DoesNotContain(lines, l => CutRunId().IsMatch(l));
    }

    [Fact]
    public async Task Status_AfterModelScore_ShowsTheDataLoadsRejectsAndRiskFlags()
    {
        var (exit, stdout, stderr) = await demo.RunCliAsync(["status", "--db", "data/qa.duckdb"]);
        output.WriteLine(stdout);

        Assert.True(exit == 0, stderr);
        Assert.Matches(@"│ risk_flags\s+│ [1-9][0-9]*\s+│", stdout);
        Assert.DoesNotContain("by reason (first value, cut at 40 characters): none", stdout, StringComparison.Ordinal);
        // The demo's planted bad rows, each reason with the value it refused: an unknown KPI code, for one.
        Assert.Matches(@"│ kpis\.csv\s+│ kpi_code\s+│ kpi_code … is not in the KPI catalogue[^│]*│ [A-Z_]+\s+│", stdout);
    }

    [Fact]
    public async Task Load_SameFolderAgain_PublishesNothingAndSaysSo()
    {
        var before = File.ResolveLinkTarget(Path.Combine(demo.Folder, "data", "qa.duckdb"), true)!.FullName;

        var (exit, stdout, stderr) = await demo.RunCliAsync(["load", "--db", "data/qa.duckdb", "--from", "data/sample", "--demo-key"]);

        Assert.True(exit == 0, stderr);
        Assert.Contains("every file is unchanged (identical to one already loaded), so nothing was published", stdout, StringComparison.Ordinal);
        Assert.Equal(before, File.ResolveLinkTarget(Path.Combine(demo.Folder, "data", "qa.duckdb"), true)!.FullName);
    }

    [Fact]
    public async Task SmokeCheck_OnDemoData_SharesBesideTheirCountsAndNoFlagsHidden()
    {
        var port = Testing.ServiceProcess.FreeLoopbackPort();
        var (exit, stdout, stderr) = await demo.RunAsync(DemoFixture.ServiceDll, ["--smoke"], TimeSpan.FromMinutes(2), DemoFixture.ServiceEnvironment(port, Testing.ServiceProcess.FreeLoopbackPort()));
        output.WriteLine(stdout);

        Assert.True(exit == 0, stdout + stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var grades = lines.Where(l => l.Contains("Good or better", StringComparison.Ordinal) && l.EndsWith(" audits", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(grades);
        Assert.All(grades, l => Assert.Matches(@": Good or better [0-9,]+ of [0-9,]+ \([0-9.]+%\) audits$", l));
        var heading = lines.Single(l => l.StartsWith("Triangulation:", StringComparison.Ordinal));
        var flagged = int.Parse(FlaggedCount().Match(heading).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var shown = lines.SkipWhile(l => l != heading).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        var listed = shown.Count(l => !l.StartsWith("  and ", StringComparison.Ordinal));
        var more = shown.Where(l => l.StartsWith("  and ", StringComparison.Ordinal)).Select(l => int.Parse(MoreCount().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        Assert.Equal(flagged, listed + more);
        Assert.All(shown.Take(listed), l => Assert.Matches(@"^  \S+ \S+ \S+: \S+ ([0-9,]+ of [0-9,]+ \([0-9.]+%\)|withheld \(small numbers\)), theme grades Good or better ([0-9,]+ of [0-9,]+ \([0-9.]+%\)|withheld \(small numbers\)) \((compliant_not_good|good_not_compliant)\)$", l));
    }

    [GeneratedRegex(@"│ \d{8}T\d{9}Z-[0-9a-f]{6} +│")]
    private static partial Regex RunIdCell();

    [GeneratedRegex(@"\d{8}T\d{9}Z-[0-9a-f]{0,5} *│")]
    private static partial Regex CutRunId();

    [GeneratedRegex(@"(\d+) flagged")]
    private static partial Regex FlaggedCount();

    [GeneratedRegex(@"^  and (\d+) more$")]
    private static partial Regex MoreCount();
}
