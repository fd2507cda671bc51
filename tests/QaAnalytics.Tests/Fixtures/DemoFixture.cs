using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using QaAnalytics.Testing;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// The Quick start's data, made the Quick start's way: the built <c>qa-ingest demo --data data</c>
/// in a temporary folder (sample with planted bad rows → load → status → model train → score), then
/// the built qa-service started in that folder as README says, with the default relative database
/// path and Development authentication, on a free loopback port. Shared by the tests that check
/// README examples and the demo's output.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromMinutes(6);
    private Process? _service;
    private ConcurrentQueue<string>? _serviceLog;

    /// <summary>The working folder: it holds <c>data/</c> (sample, qa.duckdb, risk-model).</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("qa-demo-").FullName;

    public string RepoRoot { get; } = EndToEnd.Notebooks.NotebookDatabaseFixture.FindRepoRoot();

    public int Port { get; } = ServiceProcess.FreeLoopbackPort();

    /// <summary>The service's HTTP/1.1 port (<c>/api/v1</c>, <c>/odata</c>, the dashboard).</summary>
    public int HttpPort { get; } = ServiceProcess.FreeLoopbackPort();

    /// <summary>What <c>qa-ingest demo</c> printed (standard output, redirected as in CI or a log file).</summary>
    public string DemoOutput { get; private set; } = "";

    public static string IngestDll => Testing.KillHarness.BuiltBinary("QaAnalytics.Ingest", "qa-ingest.dll");

    public static string ServiceDll => Testing.KillHarness.BuiltBinary("QaAnalytics.Service", "qa-service.dll");

    public async Task InitializeAsync()
    {
        var demo = await RunAsync(IngestDll, ["demo", "--data", "data"], DemoTimeout);
        if (demo.Exit != 0) throw new InvalidOperationException($"qa-ingest demo exited with {demo.Exit}:\n{demo.Stdout}\n{demo.Stderr}");
        DemoOutput = demo.Stdout;
        _service = ServiceProcess.StartDotnet(ServiceDll, [], ServiceEnvironment(Port, HttpPort), out var log, workingDirectory: Folder);
        _serviceLog = log;
        await ServiceProcess.WaitUntilServing(_service, Port, log, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
            _service.Dispose();
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>The service's recent output, for an error message.</summary>
    public string ServiceLog => _serviceLog is null ? "" : ServiceProcess.Tail(_serviceLog);

    /// <summary>As README's "keep the service running": Development authentication, no database path (the default, relative to the folder).</summary>
    public static Dictionary<string, string> ServiceEnvironment(int port, int httpPort) => new(StringComparer.Ordinal)
    {
        ["QaAnalytics__Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["QaAnalytics__HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        ["QaAnalytics__Auth__Mode"] = "Development",
    };

    /// <summary>Runs <c>qa-ingest args</c> (the built CLI) in <see cref="Folder"/>, output redirected.</summary>
    public Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(IEnumerable<string> args) => RunAsync(IngestDll, args, DemoTimeout);

    /// <summary>Runs <c>dotnet dll args</c> in <see cref="Folder"/> and collects its output.</summary>
    public Task<(int Exit, string Stdout, string Stderr)> RunAsync(string dll, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        EndToEnd.NodeClient.NodeClientRun.Run("dotnet", [dll, .. args], Folder, timeout, environment);
}

/// <summary>Tests that share one <see cref="DemoFixture"/> (its demo takes a minute or two).</summary>
[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "Demo";
}
