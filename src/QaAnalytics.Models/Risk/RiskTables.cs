using DuckDB.NET.Data;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Models.Risk;

/// <summary>Writes the flags and the model's evaluation into a snapshot being built (<c>Sql/risk_tables.sql</c>).</summary>
public static class RiskTables
{
    public static void Write(DuckDBConnection connection, RiskModelMetadata m, IReadOnlyList<RiskFlag> flags, string runId, string scoredSnapshotId, DateTimeOffset scoredAt)
    {
        using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = RiskSql.Get("risk_tables.sql");
            ddl.ExecuteNonQuery();
        }
        using (var appender = connection.CreateAppender("risk_flags"))
        {
            foreach (var f in flags)
            {
                var row = appender.CreateRow()
                    .AppendValue(runId).AppendValue(m.ModelVersion).AppendValue(scoredSnapshotId)
                    .AppendValue(f.LaCode).AppendValue(f.ServiceArea).AppendValue(f.TeamId).AppendValue(f.TeamName)
                    .AppendValue(f.Quarter).AppendValue(f.QuarterStart).AppendValue(f.Probability).AppendValue(f.Band);
                for (var i = 0; i < 3; i++) row = i < f.Reasons.Count ? row.AppendValue(f.Reasons[i]) : row.AppendNullValue();
                row.AppendValue(string.Join(",", f.ReasonFeatures)).AppendValue(f.Audits).AppendValue(f.InTrainingWindow)
                    .AppendValue(f.DriversPressure).AppendValue(f.DriversHistory).EndRow();
            }
        }
        var e = m.Evaluation;
        Insert(connection, "risk_model",
            runId, m.ModelVersion, scoredSnapshotId, scoredAt.UtcDateTime,
            m.TrainedAt.UtcDateTime, m.TrainedOnSnapshot, m.TrainingFrom, m.TrainingTo, (long)m.TrainingRows, (long)m.TrainingDeclines,
            m.LabelDefinition, string.Join(",", m.Features), m.Trainer, m.Baseline, m.Seed,
            m.Bands.BaseRate, m.Bands.High, m.Bands.Watch,
            (long)e.Folds.Count, (long)e.Model.Count, (long)e.Model.Positives, e.Model.Count == 0 ? null : e.Model.BaseRate,
            e.Model.RocAuc, e.Model.PrAuc, e.Model.Precision, e.Model.Recall, e.Model.Count == 0 ? null : (double?)e.Model.Brier,
            e.Baseline.RocAuc, e.Baseline.PrAuc, e.Baseline.Precision, e.Baseline.Recall, e.Baseline.Count == 0 ? null : (double?)e.Baseline.Brier,
            e.BeatsBaseline, e.Verdict,
            e.Margin?.PrAuc.Estimate, e.Margin?.PrAuc.Lower, e.Margin?.PrAuc.Upper,
            e.Margin?.RocAuc.Estimate, e.Margin?.RocAuc.Lower, e.Margin?.RocAuc.Upper,
            (long?)e.Margin?.Resamples, (long?)e.Margin?.Teams,
            e.Calibrator == RiskCalibrator.Platt ? "platt" : "isotonic", double.IsNaN(e.PlattBrier) ? null : e.PlattBrier, double.IsNaN(e.IsotonicBrier) ? null : e.IsotonicBrier,
            m.Bands.Widened);
        foreach (var f in e.Folds)
        {
            Insert(connection, "risk_backtest", m.ModelVersion, f.Quarter, (long)f.TrainRows, (long)f.TestRows, (long)f.Declines, f.Threshold,
                f.ModelRocAuc, f.BaselineRocAuc, f.ModelPrAuc, f.BaselinePrAuc);
        }
        foreach (var (scorer, metrics) in new[] { ("model", e.Model), ("baseline", e.Baseline) })
        {
            foreach (var b in metrics.Calibration)
            {
                Insert(connection, "risk_calibration", m.ModelVersion, scorer, b.From, b.To, (long)b.Count, b.MeanPredicted, b.ObservedRate, (long)b.Declines);
            }
        }
        foreach (var i in e.Importance)
        {
            Insert(connection, "risk_importance", m.ModelVersion, i.Rank, i.Feature, i.Words, i.RocAucDrop, i.PrAucDrop, i.Pressure);
        }
    }

    private static void Insert(DuckDBConnection connection, string table, params object?[] values)
    {
        connection.Execute($"INSERT INTO {table} VALUES ({string.Join(", ", values.Select((_, i) => "$p" + i))})", values.Select((v, i) => ("p" + i, v)));
    }
}
