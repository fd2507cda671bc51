using System.Diagnostics;
using QaAnalytics.Ingest.Sample;

namespace QaAnalytics.Tests.Loading;

/// <summary>
/// The real CLI in its own process, killed (SIGKILL) while it builds a snapshot: readers keep the
/// published snapshot, nothing half-loaded is ever visible, and the next load completes exactly.
/// </summary>
public sealed class KilledLoadTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Load_KilledMidway_LeavesThePublishedSnapshotAndTheRerunIsExact()
    {
        var first = Path.Combine(_files.Root, "first");
        SampleGenerator.Write(new SampleOptions(first, Councils: 1, Years: 1, Seed: 5));
        Assert.Equal(0, await RunToEnd("load", "--db", _files.DbPath, "--from", first, "--demo-key"));
        var before = Counts();
        var publishedBefore = new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName;

        var second = Path.Combine(_files.Root, "second");
        var summary = SampleGenerator.Write(new SampleOptions(second, Councils: 8, Years: 3, Seed: 6));
        using (var load = Start("load", "--db", _files.DbPath, "--from", second, "--demo-key"))
        {
            // Kill as soon as the new snapshot is being written.
            var snapshots = _files.DbPath + ".snapshots";
            var clock = Stopwatch.StartNew();
            while (!Directory.EnumerateFiles(snapshots, "*.partial").Any() && !load.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10);
            }
            await Task.Delay(200);
            Assert.False(load.HasExited, "the load finished before it could be killed; make the second dataset larger");
            load.Kill(entireProcessTree: true);
            await load.WaitForExitAsync();
        }

        // Readers still get the snapshot published before, complete.
        Assert.Equal(publishedBefore, new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName);
        Assert.Equal(before, Counts());

        // The rerun cleans up the killed run's partial file and loads every row exactly once.
        Assert.Equal(0, await RunToEnd("load", "--db", _files.DbPath, "--from", second, "--demo-key"));
        Assert.Empty(Directory.EnumerateFiles(_files.DbPath + ".snapshots", "*.partial*"));
        // Both samples include council 800, so audits merge by id: expect the distinct ids of both files.
        var ids = AuditIds(first).Union(AuditIds(second)).Count();
        Assert.Equal(summary[SampleFiles.Audits].Rows, AuditIds(second).Count());
        Assert.Equal(ids, Counts().Audits);
    }

    private static HashSet<string> AuditIds(string dir) =>
        File.ReadLines(Path.Combine(dir, SampleFiles.Audits)).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);

    private (long Teams, long Audits) Counts() =>
        (_files.Scalar<long>("SELECT count(*) FROM dim_team"), _files.Scalar<long>("SELECT count(*) FROM fact_audit"));

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(IngestBinary());
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// qa-ingest as its own build left it (…/src/QaAnalytics.Ingest/bin/&lt;config&gt;/net10.0): the copy in
    /// the test folder carries the test host's dependency set, not the CLI's.
    /// </summary>
    private static string IngestBinary()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = Notebooks.NotebookDatabaseFixture.FindRepoRoot();
        return Path.Combine(root, "src", "QaAnalytics.Ingest", "bin", configuration, framework, "qa-ingest.dll");
    }

    private static async Task<int> RunToEnd(params string[] args)
    {
        using var process = Start(args);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
