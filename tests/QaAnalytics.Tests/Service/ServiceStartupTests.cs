using System.Globalization;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Testing;

namespace QaAnalytics.Tests.Service;

/// <summary>
/// The built qa-service as its own process, started the way a newcomer does: in a folder, with the
/// default relative <c>QaAnalytics:DatabasePath</c> (<c>data/qa.duckdb</c>).
/// </summary>
public sealed class ServiceStartupTests : IDisposable
{
    private static readonly string ServiceDll = KillHarness.BuiltBinary("QaAnalytics.Service", "qa-service.dll");
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Main_NoDatabaseAtRelativePath_OneLineNamingTheAbsolutePathExit3()
    {
        var port = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.StartDotnet(ServiceDll, [], Environment(port), out var log, workingDirectory: _files.Root);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service.WaitForExitAsync(timeout.Token);
        service.WaitForExit();

        Assert.Equal(3, service.ExitCode);
        var line = Assert.Single(log);
        Assert.Contains($"there is no published database at {Path.Combine(_files.Root, "data", "qa.duckdb")} ", line, StringComparison.Ordinal);
        Assert.StartsWith("qa-service: QaAnalytics:DatabasePath", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_RelativeDatabasePath_ResolvedAgainstWorkingDirectoryAndNoDataProtectionWarning()
    {
        HandMadeDataset.WriteAll(_files);
        var db = Path.Combine(_files.Root, "data", "qa.duckdb");
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(db, _files.Input));
        Assert.False(report.Failed, report.Error);
        var port = ServiceProcess.FreeLoopbackPort();

        using var service = ServiceProcess.StartDotnet(ServiceDll, [], Environment(port), out var log, workingDirectory: _files.Root);
        try
        {
            await ServiceProcess.WaitUntilServing(service, port, log, TimeSpan.FromSeconds(60));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }

        // Information level: the Data Protection key ring would log where it keeps its keys, and warn
        // that they are unencrypted, if it were made at start-up.
        Assert.Contains(log, l => l.Contains("Now listening on: http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("DataProtection", StringComparison.Ordinal) || l.Contains("encryptor", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>No DatabasePath: the default, relative one.</summary>
    private static Dictionary<string, string> Environment(int port) => new(StringComparer.Ordinal)
    {
        ["QaAnalytics__Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["QaAnalytics__HttpPort"] = ServiceProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),  // never the shared default
        ["QaAnalytics__Auth__Mode"] = "Development",
        ["Logging__LogLevel__Default"] = "Information",
    };
}
