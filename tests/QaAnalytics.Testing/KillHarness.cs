using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Storage;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Testing;

/// <summary>What the kill harness runs on: built binaries, a work folder, how many kills and the datasets' size.</summary>
/// <param name="IngestDll">qa-ingest.dll as its own build left it (see <see cref="KillHarness.BuiltBinary"/>).</param>
/// <param name="ServiceDll">qa-service.dll as its own build left it.</param>
/// <param name="WorkDir">Emptied and filled with the datasets and databases.</param>
/// <param name="Points">How many loads to kill.</param>
/// <param name="Seed">Seeds the kill times (and the datasets).</param>
/// <param name="Councils">Councils in the dataset whose loads are killed.</param>
/// <param name="Years">Financial years in that dataset.</param>
public sealed record KillOptions(string IngestDll, string ServiceDll, string WorkDir, int Points = 20, int Seed = 1, int Councils = 8, int Years = 3);

/// <summary>Row count and content checksum of every table, as a reader of the published snapshot sees them.</summary>
public sealed record TableState(IReadOnlyDictionary<string, (long Rows, decimal Checksum)> Tables, string SnapshotId, string SnapshotFile)
{
    public long Rows(string table) => Tables[table].Rows;

    public bool SameContent(TableState other) =>
        SnapshotFile == other.SnapshotFile && Tables.Count == other.Tables.Count && Tables.All(t => other.Tables.TryGetValue(t.Key, out var o) && o == t.Value);

    public bool SameFactCounts(TableState other) => KillHarness.FactTables.All(t => Rows(t) == other.Rows(t));
}

/// <summary>One kill: when it came, whether the load was building its snapshot, and what every check found.</summary>
public sealed record KillPoint(int Index, double KillAfterSeconds, bool Killed, bool PartialLeft, double RerunSeconds, IReadOnlyList<string> Problems);

/// <summary>The harness's figures.</summary>
public sealed record KillSummary(int Points, int Killed, int PartialLeft, int ServiceCalls, double LoadSeconds, double BuildSeconds,
    IReadOnlyDictionary<string, long> ExpectedRows, IReadOnlyList<KillPoint> Kills)
{
    public IEnumerable<string> Problems => Kills.SelectMany(k => k.Problems.Select(p => $"kill {k.Index}: {p}"));
}

/// <summary>
/// Issue 5 §2, ingest side. Loads a small dataset A, starts qa-service once on that database, then
/// SIGKILLs <c>qa-ingest load --force</c> of a larger dataset B at <see cref="KillOptions.Points"/>
/// seeded random moments while it builds its snapshot. After each kill: the published snapshot
/// opens read-only with exactly the previous contents (row counts and checksums of every table),
/// the service answers GetCatalogue and GetGradeDistribution from the previous snapshot, and a
/// rerun completes with exactly the row counts of an unkilled reference load of A then B and no
/// key twice — nothing lost, nothing doubled. Every load is the real CLI in its own process.
/// </summary>
public static class KillHarness
{
    public static readonly string[] FactTables = ["dim_team", "fact_audit", "fact_audit_request", "fact_kpi", "fact_complaint"];

    private static readonly string[] Tables = [.. FactTables, "dim_kpi", "ingest_runs", "ingest_rejects", "snapshot_info"];

    /// <summary>Each fact table's key, for the "no key twice" check.</summary>
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["dim_team"] = "team_id",
        ["fact_audit"] = "audit_id",
        ["fact_audit_request"] = "request_id",
        ["fact_kpi"] = "(team_id, period, kpi_code)",
        ["fact_complaint"] = "record_id",
    };

    public static async Task<KillSummary> RunAsync(KillOptions options, TextWriter log, CancellationToken ct = default)
    {
        if (Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
        var small = Path.Combine(options.WorkDir, "a");
        var large = Path.Combine(options.WorkDir, "b");
        SampleGenerator.Write(new SampleOptions(small, Councils: 1, Years: 1, Seed: options.Seed));
        SampleGenerator.Write(new SampleOptions(large, Councils: options.Councils, Years: options.Years, Seed: options.Seed + 1));

        // The reference: A then B, never killed. Its B load also times how long a load builds its snapshot.
        var reference = Path.Combine(options.WorkDir, "reference", "qa.duckdb");
        await LoadToEnd(options, reference, small, ct);
        var clock = Stopwatch.StartNew();
        using (var load = StartLoad(options, reference, large, force: false))
        {
            var building = await WaitForPartial(load, reference, ct);
            await load.WaitForExitAsync(ct);
            if (load.ExitCode != 0) throw new InvalidOperationException($"the reference load of B exited with {load.ExitCode}");
            var (loadSeconds, buildSeconds) = (clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds - building);
            var expected = Read(reference);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reference load of A then B: {string.Join(", ", FactTables.Select(t => $"{t} {expected.Rows(t):N0}"))}; loading B takes {loadSeconds:0.00} s, {buildSeconds:0.00} s of it building the snapshot"));
            return await KillLoop(options, small, large, expected, loadSeconds, buildSeconds, log, ct);
        }
    }

    private static async Task<KillSummary> KillLoop(KillOptions options, string small, string large, TableState expected,
        double loadSeconds, double buildSeconds, TextWriter log, CancellationToken ct)
    {
        var db = Path.Combine(options.WorkDir, "live", "qa.duckdb");
        await LoadToEnd(options, db, small, ct);
        var previous = Read(db);
        var port = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.Start(options.ServiceDll, db, port, out var serviceLog);
        var kills = new List<KillPoint>();
        var calls = 0;
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
            await ServiceProcess.WaitUntilServing(service, port, serviceLog, TimeSpan.FromSeconds(30), ct);
            var random = new Random(options.Seed);
            log.WriteLine(" kill | after (s) | killed | partial left | previous intact | service on published | rerun (s) | rerun exact");
            log.WriteLine(" (after: seconds into the snapshot build; previous intact 'new': the kill came after the publish, so the new snapshot is served, complete)");
            for (var i = 1; i <= options.Points; i++)
            {
                var problems = new List<string>();
                var delay = random.NextDouble() * 0.8 * buildSeconds;
                bool killed;
                using (var load = StartLoad(options, db, large, force: true))
                {
                    await WaitForPartial(load, db, ct);
                    var built = Stopwatch.StartNew();
                    killed = !await ExitsWithin(load, TimeSpan.FromSeconds(delay), ct);
                    if (killed)
                    {
                        load.Kill();  // SIGKILL on Linux: no handler runs, nothing is cleaned up
                        await load.WaitForExitAsync(ct);
                    }
                    else if (load.ExitCode != 0)
                    {
                        problems.Add($"the load finished before the kill with exit {load.ExitCode}");
                    }
                    else
                    {
                        // It built quicker than the reference did (other work running at the same time slows the reference, as
                        // in a parallel test run): later kills are timed from this build instead, so they come while loads still run.
                        buildSeconds = Math.Min(buildSeconds, built.Elapsed.TotalSeconds);
                    }
                }
                var partialLeft = Directory.EnumerateFiles(db + ".snapshots", "*.partial*").Any();
                var now = Read(db);
                // Killed before its publish: readers see the previous snapshot exactly. Killed in the
                // instant after it (or not killed): the new snapshot, complete.
                var published = now.SnapshotFile != previous.SnapshotFile;
                var intact = published ? now.SameFactCounts(expected) : now.SameContent(previous);
                if (!intact) problems.Add(published ? "the newly published snapshot's counts differ from the reference" : "the published snapshot changed although the load was killed");
                var served = await CheckService(client, now, problems, ct);
                calls += 2;

                var rerun = Stopwatch.StartNew();
                var exit = await LoadToEnd(options, db, large, ct, force: true);
                var rerunSeconds = rerun.Elapsed.TotalSeconds;
                var after = Read(db);
                if (exit != 0) problems.Add($"the rerun exited with {exit}");
                if (!after.SameFactCounts(expected))
                {
                    problems.Add("after the rerun: " + string.Join(", ", FactTables.Where(t => after.Rows(t) != expected.Rows(t))
                        .Select(t => $"{t} {after.Rows(t)} rows, expected {expected.Rows(t)}")));
                }
                problems.AddRange(DuplicateKeys(db));
                if (Directory.EnumerateFiles(db + ".snapshots", "*.partial*").Any()) problems.Add("the rerun left a .partial file");
                await CheckService(client, after, problems, ct);
                calls += 2;

                kills.Add(new KillPoint(i, delay, killed, partialLeft, rerunSeconds, problems));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $" {i,4} | {delay,9:0.000} | {(killed ? "yes" : "no"),6} | {(partialLeft ? "yes" : "no"),12} | {(!intact ? "NO" : published ? "new" : "yes"),15} | {(served ? "yes" : "NO"),20} | {rerunSeconds,9:0.00} | {(problems.Count == 0 ? "yes" : "NO: " + string.Join("; ", problems))}"));
                previous = after;
            }
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync(CancellationToken.None);
        }
        var rows = FactTables.ToDictionary(t => t, expected.Rows, StringComparer.Ordinal);
        return new KillSummary(options.Points, kills.Count(k => k.Killed), kills.Count(k => k.PartialLeft), calls, loadSeconds, buildSeconds, rows, kills);
    }

    /// <summary>The service answers from <paramref name="state"/>'s snapshot: its id, its teams, its audits.</summary>
    private static async Task<bool> CheckService(Contracts.V1.QaAnalytics.QaAnalyticsClient client, TableState state, List<string> problems, CancellationToken ct)
    {
        var before = problems.Count;
        try
        {
            var catalogue = await ArrowChunkReader.ReadAsync(client.GetCatalogue(new CatalogueRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct), ct);
            var teams = catalogue.Single(t => t.Metadata.Table == "teams");
            if (teams.Metadata.SnapshotId != state.SnapshotId) problems.Add($"GetCatalogue answered from {teams.Metadata.SnapshotId}, not {state.SnapshotId}");
            if (teams.Rows.Count != state.Rows("dim_team")) problems.Add($"GetCatalogue listed {teams.Rows.Count} teams, not {state.Rows("dim_team")}");
            var grades = await ArrowChunkReader.ReadAsync(client.GetGradeDistribution(
                new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.All }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct), ct);
            var table = grades.Single();
            var audits = table.Rows.Sum(r => Convert.ToInt64(r["audits"], CultureInfo.InvariantCulture));
            if (table.Metadata.SnapshotId != state.SnapshotId) problems.Add($"GetGradeDistribution answered from {table.Metadata.SnapshotId}, not {state.SnapshotId}");
            if (audits != state.Rows("fact_audit")) problems.Add($"GetGradeDistribution counted {audits} audits, not {state.Rows("fact_audit")}");
        }
        catch (RpcException ex)
        {
            problems.Add($"the service failed: {ex.Status}");
        }
        return problems.Count == before;
    }

    /// <summary>Opens the published snapshot read-only, as the service and notebooks do, and reads every table.</summary>
    public static TableState Read(string dbPath)
    {
        using var snapshot = ReadOnlySnapshot.Open(dbPath);
        var connection = snapshot.Connection;
        var tables = new Dictionary<string, (long, decimal)>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*), coalesce(sum(hash(t)), 0)::DECIMAL(38, 0) FROM {table} t";
            using var reader = cmd.ExecuteReader();
            reader.Read();
            tables[table] = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
        return new TableState(tables, snapshot.Id, snapshot.File);
    }

    private static IEnumerable<string> DuplicateKeys(string dbPath)
    {
        using var snapshot = ReadOnlySnapshot.Open(dbPath);
        var connection = snapshot.Connection;
        foreach (var (table, key) in Keys)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*) - count(DISTINCT {key}) FROM {table}";
            var doubled = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (doubled != 0) yield return $"{table} holds {doubled} key(s) twice";
        }
    }

    /// <summary>
    /// A project's binary as its own build left it (…/src/&lt;project&gt;/bin/&lt;config&gt;/&lt;tfm&gt;/&lt;assembly&gt;),
    /// with the configuration and framework of the running program: a copy in another project's
    /// output carries that project's dependency set, not its own.
    /// </summary>
    public static string BuiltBinary(string project, string assembly)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "QaAnalytics.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"no QaAnalytics.sln above {AppContext.BaseDirectory}");
        var path = Path.Combine(root.FullName, "src", project, "bin", bin.Parent!.Name, bin.Name, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution in {bin.Parent.Name} first", path);
    }

    /// <summary>Starts <c>qa-ingest load</c> with the demo key as its own process.</summary>
    public static Process StartLoad(KillOptions options, string db, string from, bool force) => StartLoad(options.IngestDll, db, from, force);

    /// <summary>Starts <c>qa-ingest load</c> (the given build) with the demo key as its own process.</summary>
    public static Process StartLoad(string ingestDll, string db, string from, bool force)
    {
        var args = new List<string> { "load", "--db", db, "--from", from, "--demo-key" };
        if (force) args.Add("--force");
        return ServiceProcess.StartDotnet(ingestDll, args, null, out _);
    }

    private static async Task<int> LoadToEnd(KillOptions options, string db, string from, CancellationToken ct, bool force = false)
    {
        using var load = StartLoad(options, db, from, force);
        await load.WaitForExitAsync(ct);
        return load.ExitCode;
    }

    /// <summary>Waits until the load has begun its new snapshot; returns the seconds that took.</summary>
    private static async Task<double> WaitForPartial(Process load, string db, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var snapshots = db + ".snapshots";
        while (!load.HasExited && !(Directory.Exists(snapshots) && Directory.EnumerateFiles(snapshots, "*.partial").Any()))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the load did not begin a snapshot within 2 minutes");
            await Task.Delay(5, ct);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<bool> ExitsWithin(Process process, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
