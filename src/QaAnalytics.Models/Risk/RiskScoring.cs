using System.Diagnostics;
using System.Security.Cryptography;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Models.Risk;

/// <summary>What <see cref="RiskScoring.Score"/> did.</summary>
public sealed record ScoreReport(string RunId, string ScoredSnapshotId, string ModelVersion, IReadOnlyList<RiskFlag> Flags, string Published, TimeSpan Elapsed);

/// <summary>
/// <c>qa-ingest model score</c>: scores every team-quarter of the published snapshot and publishes
/// a new snapshot holding the <c>risk_*</c> tables, the way a load does — a private copy of the
/// current snapshot under the writer lock, written, checkpointed, renamed and swapped in by the
/// link — so readers never see half the flags. The run is recorded in <c>ingest_runs</c>.
/// </summary>
public static class RiskScoring
{
    public static ScoreReport Score(string dbPath, RiskModel model, string modelFile, int keep, TimeProvider time)
    {
        var clock = Stopwatch.StartNew();
        var started = time.GetUtcNow();
        var store = new SnapshotStore(dbPath, keep);
        using var writerLock = store.AcquireWriterLock();
        if (store.Current() is null) throw new SnapshotException(dbPath, $"{Path.GetFileName(dbPath)}: there is no published snapshot to score: run qa-ingest load first");
        var runId = SnapshotStore.NewRunId(time);
        var partial = store.Begin(runId);
        try
        {
            string scoredSnapshot;
            List<RiskFlag> flags;
            using (var connection = SnapshotDatabase.OpenWritable(partial))
            {
                scoredSnapshot = (SnapshotInfo.Read(connection, partial) ?? throw new SnapshotException(dbPath, "the published snapshot has no snapshot_info row")).SnapshotId;
                var replaced = connection.HasTable("risk_flags") ? connection.Scalar<long>("SELECT count(*) FROM risk_flags") : 0;
                var rows = RiskFeatureReader.Read(connection, model.Metadata.Label);
                flags = model.Score(rows);
                var ended = time.GetUtcNow();
                RiskTables.Write(connection, model.Metadata, flags, runId, scoredSnapshot, ended);
                connection.Execute("INSERT INTO ingest_runs VALUES ($run, $file, 'risk_model', $sha, NULL, $n, $n, 0, $new, $replaced, $start, $end, 'loaded', $msg)",
                    ("run", runId), ("file", Path.GetFileName(modelFile)), ("sha", Sha256(modelFile)), ("n", (long)flags.Count),
                    ("new", Math.Max(0, flags.Count - replaced)), ("replaced", Math.Min(replaced, flags.Count)),
                    ("start", started.UtcDateTime), ("end", ended.UtcDateTime),
                    ("msg", $"risk model {model.Metadata.ModelVersion} scored {flags.Count} team-quarters of snapshot {scoredSnapshot}"));
                connection.Execute("UPDATE snapshot_info SET snapshot_id = $id, created_at = $at", ("id", runId), ("at", ended.UtcDateTime));
                connection.Execute("CHECKPOINT");
            }
            var published = store.Publish(partial);
            return new ScoreReport(runId, scoredSnapshot, model.Metadata.ModelVersion, flags, published, clock.Elapsed);
        }
        catch
        {
            SnapshotStore.Discard(partial);
            throw;
        }
    }

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
