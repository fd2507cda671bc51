using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Testing;

namespace QaAnalytics.Tests.EndToEnd.NodeClient;

/// <summary>
/// The built service binary in its own process, called over real HTTP/2 on loopback by a client
/// that shares no code with it (tests/e2e/client.mjs: npm's @grpc/grpc-js, @grpc/proto-loader and
/// apache-arrow), which decodes the Arrow bytes and prints what it read as JSON. The figures are
/// the hand-worked ones of <see cref="Service.Grpc.QaAnalyticsServiceTests"/>.
/// </summary>
public sealed class NodeClientEndToEndTests(NodeClientRun run) : IClassFixture<NodeClientRun>
{
    [Fact]
    public void GetCatalogue_DecodedByNodeClient_ListsTheSnapshotTables()
    {
        var catalogue = run.Output.GetProperty("catalogue");

        Assert.Equal(["teams", "periods", "kpis", "measures", "disclosure"], catalogue.EnumerateArray().Select(t => t.GetProperty("table").GetString()));
        foreach (var table in catalogue.EnumerateArray()) AssertComplete(table);
        var teams = Rows(catalogue[0]);
        Assert.Equal(["T1", "T2"], teams.Select(r => r.GetProperty("team_id").GetString()));
        Assert.Equal(3L, teams[0].GetProperty("audits").GetInt64());
        // Date32 reaches JavaScript as epoch milliseconds: January 2022 is the first month of 2021/22 Q4.
        var january = Rows(catalogue[1]).Single(r => r.GetProperty("month_label").GetString() == "2022-01");
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), january.GetProperty("month").GetInt64());
        Assert.Equal("2021/22 Q4", january.GetProperty("financial_quarter_label").GetString());
        Assert.Contains(Rows(catalogue[2]), r => r.GetProperty("kpi_code").GetString() == "VISITS_IN_TIMESCALE" && r.GetProperty("theme").GetString() == "Visiting");
    }

    [Fact]
    public void GetGradeDistribution_DecodedByNodeClient_MatchesHandWorkedCounts()
    {
        var table = Assert.Single(run.Output.GetProperty("grade_distribution").EnumerateArray());

        Assert.Equal("grade_distribution", table.GetProperty("table").GetString());
        AssertComplete(table);
        Assert.Equal(3, table.GetProperty("row_count").GetInt64());
        var rows = Rows(table);
        // T1 in 2021/22 Q4: A1 Good; A2 RI moderated to Inadequate; A9 Inadequate.
        var t1 = rows.Single(r => r.GetProperty("team_id").GetString() == "T1" && r.GetProperty("period").GetString() == "2021/22 Q4");
        Assert.Equal(("938", "Assessment"), (t1.GetProperty("la_code").GetString(), t1.GetProperty("service_area").GetString()));
        Assert.Equal(3L, t1.GetProperty("audits").GetInt64());
        Assert.Equal((1L, 2L), (t1.GetProperty("effective_good").GetInt64(), t1.GetProperty("effective_inadequate").GetInt64()));
        Assert.Equal((1L, 1L, 1L), (t1.GetProperty("original_good").GetInt64(), t1.GetProperty("original_requires_improvement").GetInt64(),
            t1.GetProperty("original_inadequate").GetInt64()));
        Assert.Equal(1.0 / 3.0, t1.GetProperty("effective_good_share").GetDouble(), 12);
        Assert.Equal(2.0 / 3.0, t1.GetProperty("effective_inadequate_share").GetDouble(), 12);
        Assert.Equal(0.0, t1.GetProperty("effective_outstanding_share").GetDouble());
        Assert.Equal(1L, t1.GetProperty("moderated").GetInt64());
        Assert.False(t1.GetProperty("suppressed").GetBoolean());
        // T2 in 2021/22 Q4: A3 Outstanding moderated to Good.
        var t2 = rows.Single(r => r.GetProperty("team_id").GetString() == "T2" && r.GetProperty("period").GetString() == "2021/22 Q4");
        Assert.Equal((1L, 0L), (t2.GetProperty("effective_good").GetInt64(), t2.GetProperty("effective_outstanding").GetInt64()));
        Assert.Equal(1L, t2.GetProperty("original_outstanding").GetInt64());
        // T2 in 2022/23 Q1: A4 (April 2022) RI, moderated as RI.
        var april = rows.Single(r => r.GetProperty("team_id").GetString() == "T2" && r.GetProperty("period").GetString() == "2022/23 Q1");
        Assert.Equal((1L, 1L), (april.GetProperty("audits").GetInt64(), april.GetProperty("effective_requires_improvement").GetInt64()));
        Assert.Equal(1.0, april.GetProperty("effective_requires_improvement_share").GetDouble());
    }

    [Fact]
    public void Query_DecodedByNodeClient_RateFromSummedCountsBesideItsDenominator()
    {
        var table = Assert.Single(run.Output.GetProperty("query").EnumerateArray());

        Assert.Equal("query", table.GetProperty("table").GetString());
        AssertComplete(table);
        // T1 visits in timescale: 8/10 in January and 9/12 in February 2022 → 17/22.
        var visits = Rows(table).Single(r => r.GetProperty("team_id").GetString() == "T1" && r.GetProperty("kpi_code").GetString() == "VISITS_IN_TIMESCALE");
        Assert.Equal((17L, 22L), (visits.GetProperty("kpi_numerator").GetInt64(), visits.GetProperty("kpi_denominator").GetInt64()));
        Assert.Equal(100.0 * 17 / 22, visits.GetProperty("kpi_rate").GetDouble(), 10);
        Assert.Equal(90.0, visits.GetProperty("target").GetDouble());
    }

    /// <summary>Every row the metadata announces was decoded, and the table comes from the snapshot the test loaded.</summary>
    private static void AssertComplete(JsonElement table)
    {
        Assert.Equal(table.GetProperty("row_count").GetInt64(), table.GetProperty("decoded_rows").GetInt64());
        Assert.Equal(table.GetProperty("row_count").GetInt64(), table.GetProperty("rows").GetArrayLength());
        Assert.StartsWith("20240630", table.GetProperty("snapshot_id").GetString(), StringComparison.Ordinal);
    }

    private static List<JsonElement> Rows(JsonElement table) => [.. table.GetProperty("rows").EnumerateArray()];
}

/// <summary>
/// Loads the hand-made dataset with the real loader, starts <c>qa-service.dll</c> as its own
/// process on a free loopback port, waits for its gRPC health check, runs the Node.js client once
/// and stops the service. Missing prerequisites fail the tests; they are never skipped.
/// </summary>
public sealed class NodeClientRun : IAsyncLifetime
{
    private const string Setup = "run the README's test command, `bash scripts/test.sh`, which installs the client's packages with `npm ci --prefix tests/e2e`";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    private readonly TestFiles _files = new();
    private JsonDocument? _output;

    /// <summary>The one JSON object the client printed.</summary>
    public JsonElement Output => _output!.RootElement;

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot();
        var client = Path.Combine(root, "tests", "e2e", "client.mjs");
        if (!Directory.Exists(Path.Combine(root, "tests", "e2e", "node_modules")))
        {
            throw new InvalidOperationException($"tests/e2e/node_modules is missing: {Setup}.");
        }
        await RequireNode();

        HandMadeDataset.WriteAll(_files);
        var report = await new Loader(Pseudonymiser.Demo(), new FixedTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero)))
            .LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        Assert.False(report.Failed);

        var port = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.Start(Path.Combine(AppContext.BaseDirectory, "qa-service.dll"), _files.DbPath, port, out var serviceLog);
        try
        {
            await ServiceProcess.WaitUntilServing(service, port, serviceLog, StartTimeout);
            var (exit, stdout, stderr) = await Run("node", [client, "--address", $"127.0.0.1:{port}"], root, ClientTimeout);
            if (exit != 0)
            {
                throw new InvalidOperationException($"node client.mjs exited with {exit}: {stderr}\nservice log:\n{ServiceProcess.Tail(serviceLog)}");
            }
            _output = JsonDocument.Parse(stdout);
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    public Task DisposeAsync()
    {
        _output?.Dispose();
        _files.Dispose();
        return Task.CompletedTask;
    }

    private static async Task RequireNode()
    {
        try
        {
            var (exit, _, stderr) = await Run("node", ["--version"], AppContext.BaseDirectory, TimeSpan.FromSeconds(10));
            if (exit != 0) throw new InvalidOperationException($"`node --version` exited with {exit}: {stderr}");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"node is not on PATH ({ex.Message}): install Node.js 20 or later, then {Setup}.", ex);
        }
    }

    internal static async Task<(int Exit, string Stdout, string Stderr)> Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s: {await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QaAnalytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no QaAnalytics.sln above {AppContext.BaseDirectory}");
    }
}
