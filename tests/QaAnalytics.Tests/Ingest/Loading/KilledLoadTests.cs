using QaAnalytics.Ingest.Sample;
using QaAnalytics.Testing;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>
/// The fast variant of the kill harness (issue 5 §2; the long run is <c>bench … kill --points 20</c>):
/// the real CLI in its own process, SIGKILLed three times while it builds a snapshot, with the
/// built qa-service answering throughout. Readers keep the published snapshot exactly, the service
/// answers from it, and each rerun completes with the counts of an unkilled load.
/// </summary>
public sealed class KilledLoadTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Load_KilledThreeTimes_ServesThePublishedSnapshotAndEachRerunIsExact()
    {
        var options = new KillOptions(
            KillHarness.BuiltBinary("QaAnalytics.Ingest", "qa-ingest.dll"),
            KillHarness.BuiltBinary("QaAnalytics.Service", "qa-service.dll"),
            Path.Combine(_files.Root, "kill"), Points: 3, Seed: 5, Councils: 2, Years: 1);
        using var log = new StringWriter();

        var summary = await KillHarness.RunAsync(options, log);

        Assert.True(!summary.Problems.Any(), string.Join('\n', summary.Problems) + "\n" + log);
        Assert.Equal(3, summary.Kills.Count);
        Assert.True(summary.Killed >= 2, $"only {summary.Killed} of 3 loads were still running when killed:\n{log}");
        Assert.Equal(12, summary.ServiceCalls);
        // The reference the reruns were held to is itself right: both samples include council 800,
        // so audits merge by id, and the expected count is the distinct ids of both files.
        var ids = AuditIds(Path.Combine(options.WorkDir, "a")).Union(AuditIds(Path.Combine(options.WorkDir, "b"))).Count();
        Assert.Equal(ids, summary.ExpectedRows["fact_audit"]);
    }

    private static HashSet<string> AuditIds(string dir) =>
        File.ReadLines(Path.Combine(dir, SampleFiles.Audits)).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
}
