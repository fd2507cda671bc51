using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Service.Reports;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Reports;

/// <summary>
/// <c>qa-ingest report</c> on the scored sample: the PDF Chromium printed is read back with
/// <c>pdftotext</c>, one page per section, and every headline figure in it is the one the gRPC
/// service answers for the same question (a client over the in-process service, not the pack's code).
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class EvidencePackTests(RiskDataFixture data) : IAsyncLifetime
{
    private const string Council = "800";
    private const string Year = "2024/25";

    // One report per fixture (the class's tests share it): printing takes seconds.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RiskDataFixture, Task<(int Exit, string[] Pages, string Out)>> Reports = [];

    private string _out = "";
    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseSetting("QaAnalytics:DatabasePath", data.DbPath);
        web.UseSetting("QaAnalytics:Auth:Mode", "Development");
        // The service's default disclosure for a director (exact, as the council's own information), as the report's.
    });

    private string[] _pages = [];
    private int _exit;

    public async Task InitializeAsync()
    {
        (_exit, _pages, _out) = await Reports.GetValue(data, d => WriteReport(d.DbPath));
    }

    private static async Task<(int Exit, string[] Pages, string Out)> WriteReport(string db)
    {
        var folder = Path.Combine(Path.GetTempPath(), "qa-pack-tests-" + Guid.NewGuid().ToString("N"));
        // The README's example, through the command line parser.
        var exit = await IngestCli.RunAsync(["report", "--council", Council, "--year", Year, "--out", folder, "--db", db]);
        var pdf = Path.Combine(folder, "evidence-pack-800-2024-25.pdf");
        if (exit != 0 || !File.Exists(pdf)) return (exit, [], folder);
        var count = int.Parse(Regex.Match(await Tool("pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var pages = new string[count];
        for (var i = 1; i <= count; i++)
        {
            var page = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            pages[i - 1] = Regex.Replace(await Tool("pdftotext", "-layout", "-f", page, "-l", page, pdf, "-"), @"\s+", " ");
        }
        return (exit, pages, folder);
    }

    [Fact]
    public void Report_ScoredSample_PdfHasOnePagePerSectionInOrder()
    {
        Assert.Equal(0, _exit);
        Assert.True(File.Exists(Path.Combine(_out, "evidence-pack-800-2024-25.html")));
        Assert.Equal(EvidencePackHtml.Sections.Length, _pages.Length);
        for (var i = 0; i < _pages.Length; i++)
        {
            Assert.Contains($"{i + 1}. {EvidencePackHtml.Sections[i]}", _pages[i], StringComparison.Ordinal);
            Assert.Contains($"page {i + 1} of {_pages.Length}", _pages[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Report_HeadlineFigures_AreTheServicesForTheSameQuestion()
    {
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(GrpcChannel.ForAddress(_factory.Server.BaseAddress,
            new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() }));
        Scope scope = new() { LaCodes = { Council } };
        PeriodRange period = new() { FromMonth = "2024-04", ToMonth = "2025-03" };

        var gradeTable = Assert.Single(await ArrowChunkReader.ReadAsync(client.GetGradeDistribution(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter })));
        Assert.All(_pages, p => Assert.Contains($"snapshot {gradeTable.Metadata.SnapshotId}", p, StringComparison.Ordinal));
        var grades = gradeTable.Rows;
        Assert.Equal(4, grades.Count);
        foreach (var r in grades)
        {
            Assert.Contains($"{r["period"]} {Figures.Count(r["audits"])} {Figures.Share(r["effective_outstanding"], r["audits"])} {Figures.Share(r["effective_good"], r["audits"])}", _pages[0], StringComparison.Ordinal);
        }
        var requests = Rows(await ArrowChunkReader.ReadAsync(client.GetAuditCompliance(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter })));
        Assert.All(requests, r => Assert.Contains($"{r["period"]} {Figures.Count(r["sent"])} {Figures.Share(r["returned"], r["sent"])}", _pages[1], StringComparison.Ordinal));
        var followUp = Rows(await ArrowChunkReader.ReadAsync(client.GetInadequateFollowUp(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter })));
        Assert.All(followUp, r => Assert.Contains($"{r["period"]} {Figures.Count(r["inadequate_audits"])} {Figures.Share(r["reaudited_within_6_weeks"], r["inadequate_audits"])}", _pages[2], StringComparison.Ordinal));
        var moderation = Rows(await ArrowChunkReader.ReadAsync(client.GetModeration(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter })));
        Assert.All(moderation, r => Assert.Contains($"{Figures.Share(r["moderated"], r["audits"])} {Figures.Share(r["agreed"], r["moderated"])}", _pages[3], StringComparison.Ordinal));
        var complaints = Rows(await ArrowChunkReader.ReadAsync(client.GetComplaints(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter })));
        Assert.All(complaints, r => Assert.Contains($"{r["period"]} {Figures.Count(r["complaints"])} {Figures.Count(r["stage_1_responded"])} {Figures.Share(r["stage_1_on_time"], r["stage_1_responded"])}", _pages[4], StringComparison.Ordinal));

        var triangulation = await ArrowChunkReader.ReadAsync(client.GetTriangulation(new() { Scope = scope, Period = period, GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialYear }));
        var correlation = triangulation.Single(t => t.Metadata.Table == "theme_correlation").Rows;
        Assert.NotEmpty(correlation);
        Assert.All(correlation, r => Assert.Contains($"{r["theme"]} {Figures.Number((double?)r["spearman_rho"])} {Figures.Count(r["units"])}", _pages[5], StringComparison.Ordinal));
        var divergent = triangulation.Single(t => t.Metadata.Table == "triangulation").Rows.Count(r => (string?)r["divergence"] == "compliant_not_good");
        Assert.Contains($"Compliant but not good: {divergent} team-theme(s)", _pages[5], StringComparison.Ordinal);

        var flags = Rows(await ArrowChunkReader.ReadAsync(client.GetRiskFlags(new() { Scope = scope, Period = period, Bands = { "high", "watch" } })));
        var latest = flags.Max(r => (string)r["period"]!);
        var top = flags.Where(r => (string?)r["period"] == latest).MaxBy(r => (double)r["probability"]!)!;
        Assert.Contains($"{latest} {Figures.Percent((double)top["probability"]! * 100)} {top["band"]}", _pages[6], StringComparison.Ordinal);
        // A long team cell wraps, and pdftotext drops the hyphen where a team id breaks.
        Assert.Contains(((string)top["team_id"]!).Replace("-", "", StringComparison.Ordinal), _pages[6].Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("The model's verdict:", _pages[6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_BadYear_UsageExitNamingTheOption()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(ExitCodes.Usage, await IngestCli.Report(data.DbPath, Council, "2024/26", _out + "-bad", 5, CancellationToken.None));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("--year", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out + "-bad"));
    }

    private static List<Dictionary<string, object?>> Rows(List<DecodedTable> tables) => Assert.Single(tables).Rows;

    private static async Task<string> Tool(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{file} is not installed ({ex.Message}): run `bash scripts/test.sh`, which installs poppler-utils.", ex);
        }
        using (process)
        {
            var stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            return stdout;
        }
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }
}
