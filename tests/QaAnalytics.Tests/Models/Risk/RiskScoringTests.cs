using DuckDB.NET.Data;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Models.Risk;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Models.Risk;

/// <summary>Scoring publishes a new snapshot like a load: the old one is untouched, the new one holds the flags.</summary>
[Collection(RiskCollection.Name)]
public sealed class RiskScoringTests(RiskDataFixture data)
{
    [Fact]
    public void Score_PublishedSnapshot_NewSnapshotWithFlagsAndRunRecorded()
    {
        var store = new SnapshotStore(data.DbPath);
        var before = store.Current()!;
        var bytesBefore = File.ReadAllBytes(before);

        var report = RiskScoring.Score(data.DbPath, data.Model, Path.Combine(data.ModelDir, RiskModel.ModelFile), keep: 5, new SteppingTime(DateTimeOffset.UtcNow));

        var after = store.Current()!;
        Assert.NotEqual(before, after);
        Assert.Equal(bytesBefore, File.ReadAllBytes(before));
        Assert.Equal(data.Scored.RunId, report.ScoredSnapshotId);
        using var connection = new DuckDBConnection($"Data Source={after};ACCESS_MODE=READ_ONLY");
        connection.Open();
        Assert.Equal(report.RunId, Scalar(connection, "SELECT snapshot_id FROM snapshot_info"));
        Assert.Equal((long)data.Rows.Count, Scalar(connection, "SELECT count(*) FROM risk_flags"));
        Assert.Equal(0L, Scalar(connection, $"SELECT count(*) FROM risk_flags WHERE model_version <> '{data.Model.Metadata.ModelVersion}' OR run_id <> '{report.RunId}'"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM risk_model WHERE beats_baseline AND margin_pr_auc_lower > 0 AND margin_roc_auc_lower > 0 AND bootstrap_resamples >= 1000"));
        Assert.Equal(data.Model.Metadata.Evaluation.Verdict, Scalar(connection, "SELECT verdict FROM risk_model"));
        // The reliability table's counts add up to the backtest.
        Assert.Equal((long)data.Model.Metadata.Evaluation.Model.Count, Scalar(connection, "SELECT CAST(sum(n) AS BIGINT) FROM risk_calibration WHERE scorer = 'model'"));
        Assert.Equal((long)data.Model.Metadata.Evaluation.Model.Positives, Scalar(connection, "SELECT CAST(sum(declines) AS BIGINT) FROM risk_calibration WHERE scorer = 'model'"));
        Assert.Equal((long)data.Model.Metadata.Evaluation.Folds.Count, Scalar(connection, "SELECT count(*) FROM risk_backtest"));
        Assert.Equal("risk_model", Scalar(connection, $"SELECT file_kind FROM ingest_runs WHERE run_id = '{report.RunId}'"));
        // The facts are the scored snapshot's, unchanged.
        using var old = new DuckDBConnection($"Data Source={before};ACCESS_MODE=READ_ONLY");
        old.Open();
        Assert.Equal(Scalar(old, "SELECT count(*) FROM fact_audit"), Scalar(connection, "SELECT count(*) FROM fact_audit"));
    }

    [Fact]
    public void Cli_EvaluateAndScoreWithoutModel_PrintsBacktestAndRefusesClearly()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int evaluate;
        try
        {
            evaluate = IngestCli.RunEvaluate(data.DbPath, new RiskModelOptions());
        }
        finally
        {
            Console.SetOut(original);
        }
        var error = new StringWriter();
        var originalError = Console.Error;
        Console.SetError(error);
        int score;
        try
        {
            score = IngestCli.RunScore(data.DbPath, Path.Combine(data.ModelDir, "missing"), keep: 3, show: 0);
        }
        finally
        {
            Console.SetError(originalError);
        }

        Assert.Equal(ExitCodes.Ok, evaluate);
        Assert.Contains("| baseline |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Calibration", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(data.Model.Metadata.Evaluation.Verdict, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| **model − baseline** |", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputRefused, score);
        Assert.Contains("qa-ingest model train", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ModelScore_PublishesAnotherSnapshotTaggedWithTheModel()
    {
        var store = new SnapshotStore(data.DbPath);
        var before = store.Current();

        var code = await IngestCli.RunAsync(["model", "score", "--db", data.DbPath, "--model", data.ModelDir, "--keep", "10", "--show", "0"]);

        Assert.Equal(ExitCodes.Ok, code);
        var after = store.Current()!;
        Assert.NotEqual(before, after);
        using var connection = new DuckDBConnection($"Data Source={after};ACCESS_MODE=READ_ONLY");
        connection.Open();
        Assert.Equal(data.Model.Metadata.ModelVersion, Scalar(connection, "SELECT DISTINCT model_version FROM risk_flags"));
        Assert.Equal(Scalar(connection, "SELECT snapshot_id FROM snapshot_info"), Scalar(connection, "SELECT DISTINCT run_id FROM risk_flags"));
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
