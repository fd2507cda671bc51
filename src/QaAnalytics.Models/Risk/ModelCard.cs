using System.Globalization;
using System.Text;

namespace QaAnalytics.Models.Risk;

/// <summary>The markdown model card, generated from the metadata and its backtest, and the backtest report <c>model evaluate</c> prints.</summary>
public static class ModelCard
{
    public static string Render(RiskModelMetadata m)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Model card: team risk of declining practice quality (version {m.ModelVersion})");
        s.AppendLine();
        s.AppendLine("## Purpose");
        s.AppendLine("Estimates, for each **team** and financial quarter, the probability that the quality of its practice (as its case audits grade it) falls over the next two quarters below the team's usual level, and says which of the team's figures raised that probability most. It helps directors and the QA unit decide which teams to talk to first ahead of the self-evaluation.");
        s.AppendLine();
        s.AppendLine("**Team level only.** It never scores a child, a family or a worker, and reads no child identifier: it counts audits, and the practitioners whose cases were audited (for complaints per worker), per team. Public research on child-level models in children's social care (What Works for Children's Social Care, 2020) found they did not work well; this model is judged on quarters it has not seen, against a simple baseline, below.");
        s.AppendLine();
        s.AppendLine("## How to use a flag");
        s.AppendLine("A flag is **a prompt for a conversation** with the team manager and the Head of Service — what is behind these figures? what support would help? — **never an automatic decision** about a team, a worker or a case, and never a performance judgement. Read the reasons, check them against what you know, and expect some flags to be wrong (see precision below): most teams flagged \"high\" will not in fact decline, and some teams that decline are not flagged.");
        s.AppendLine();
        s.AppendLine("## Data");
        s.AppendLine(CultureInfo.InvariantCulture, $"Trained on snapshot `{m.TrainedOnSnapshot}`: {m.TrainingRows:N0} team-quarters with a known outcome, {m.TrainingFrom} to {m.TrainingTo}, of which {m.TrainingDeclines:N0} declined (base rate {Pct(m.Bands.BaseRate)}). Trained {m.TrainedAt:yyyy-MM-dd HH:mm} UTC, seed {m.Seed}.");
        s.AppendLine();
        s.AppendLine("Features (per team and quarter, from `src/QaAnalytics.Models/Risk/Sql/risk_features.sql`): " + string.Join(", ", RiskFeatures.All.Select(f => $"`{f.Column}`")) + ". Missing figures (a KPI the team does not report) are replaced by the training mean.");
        s.AppendLine();
        s.AppendLine("## Label");
        s.AppendLine(m.LabelDefinition);
        s.AppendLine();
        s.AppendLine("## Model and baseline");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Model: {m.Trainer}.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Baseline: {m.Baseline}.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Bands: **high** at probability ≥ {m.Bands.High:0.00} ({(m.Bands.BaseRate > 0 ? m.Bands.High / m.Bands.BaseRate : 0):0.##} × the training base rate: the operating threshold), **watch** ≥ {m.Bands.Watch:0.00} ({(m.Bands.BaseRate > 0 ? m.Bands.Watch / m.Bands.BaseRate : 0):0.##} × the base rate), **low** below.{(m.Bands.Widened ? " The bands are **widened** (thresholds raised) because the backtest found no evidence that the model adds to the grade history." : "")}");
        s.AppendLine();
        s.Append(Backtest(m.Evaluation));
        s.AppendLine();
        s.AppendLine("## Placebo tests (the verdict must not claim a win where there is nothing to find)");
        s.AppendLine();
        s.AppendLine(m.Placebos.Count > 0
            ? PlaceboTable([new PlaceboRun("data as trained on", m.Evaluation, MustNotWin: false), .. m.Placebos])
            : "Not run for this model (trained with --no-placebo): run `qa-ingest model placebo` on the same snapshot.");
        s.AppendLine();
        s.AppendLine("## Known limits");
        s.AppendLine("- Team data is small: a team has about ten audits a quarter, so even two pooled quarters move by chance; much of what the label calls a decline is noise, and no model can foresee it. Read precision and recall above before reading any flag.");
        s.AppendLine("- The verdict needs many teams: with a few dozen teams the intervals are wide, and a real signal can still get \"no evidence\". Then read the flags as the grade history alone.");
        s.AppendLine("- Grades regress to the mean: a team with an unusually good quarter is likely to fall back. The label compares two pooled quarters with the team's usual level to limit this, and the grades-only baseline captures what is left; the model is judged only on what it adds to it.");
        s.AppendLine("- The model learns the history it is given: changes in audit practice (who audits, how moderation works), team restructures or new recording systems break the pattern until enough new quarters are labelled. Retrain each quarter and re-read this card.");
        s.AppendLine("- Reasons are the features that pushed this team's score up in this model (tree feature contributions), not proven causes.");
        s.AppendLine("- Flags for quarters inside the training window (`in_training_window`) were seen in training and look better than they are; judge the model only by the backtest.");
        return s.ToString();
    }

    /// <summary>The backtest against the baseline, with the verdict, calibration and importance (markdown).</summary>
    public static string Backtest(RiskEvaluation e)
    {
        var s = new StringBuilder();
        s.AppendLine("## Backtest (rolling origin: train on the quarters whose outcome was known at t, test on t)");
        s.AppendLine(CultureInfo.InvariantCulture, $"**{e.Verdict}**");
        s.AppendLine();
        if (e.Folds.Count == 0) return s.ToString();
        s.AppendLine(CultureInfo.InvariantCulture, $"{e.Folds.Count} test quarters ({e.Folds[0].Quarter} to {e.Folds[^1].Quarter}), {e.Model.Count:N0} team-quarters, {e.Model.Positives:N0} declines: base rate {Pct(e.Model.BaseRate)}. Each quarter is scored by models trained only on quarters whose outcome was known by then.");
        s.AppendLine();
        s.AppendLine("| | ROC-AUC | PR-AUC | flagged high | precision | recall | Brier |");
        s.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (name, x) in new[] { ("model", e.Model), ("baseline", e.Baseline) })
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {F(x.RocAuc)} | {F(x.PrAuc)} | {x.Flagged:N0} | {F(x.Precision)} | {F(x.Recall)} | {x.Brier:0.000} |");
        }
        s.AppendLine(CultureInfo.InvariantCulture, $"| (no skill) | 0.500 | {e.Model.BaseRate:0.000} | | | | {e.Model.BaseRate * (1 - e.Model.BaseRate):0.000} |");
        if (e.Margin is { } margin)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| **model − baseline** | {margin.RocAuc} | {margin.PrAuc} | | | | |");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Intervals: 95% percentile bootstrap, {margin.Resamples:N0} resamples of the {margin.Teams:N0} teams (a team's quarters stay together), seed {margin.Seed}. The model beats the baseline only when both intervals lie above zero.");
        }
        s.AppendLine();
        s.AppendLine("Per test quarter (threshold = the operating threshold of the model trained for that quarter):");
        s.AppendLine();
        s.AppendLine("| quarter | trained on | tested | declines | threshold | model ROC-AUC | baseline ROC-AUC | model PR-AUC | baseline PR-AUC |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var f in e.Folds)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {f.Quarter} | {f.TrainRows:N0} | {f.TestRows:N0} | {f.Declines:N0} | {f.Threshold:0.00} | {F(f.ModelRocAuc)} | {F(f.BaselineRocAuc)} | {F(f.ModelPrAuc)} | {F(f.BaselinePrAuc)} |");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Calibration: {(e.Calibrator == RiskCalibrator.Platt ? "Platt scaling" : "isotonic regression")}, chosen by backtest Brier score (Platt {e.PlattBrier:0.0000}, isotonic {e.IsotonicBrier:0.0000}). Reliability table (backtest predictions binned by probability; a calibrated model's observed rate matches its mean prediction):");
        s.AppendLine();
        s.AppendLine("| probability | model n | model mean predicted | model observed | baseline n | baseline mean predicted | baseline observed |");
        s.AppendLine("|---|---|---|---|---|---|---|");
        for (var i = 0; i < BinaryMetrics.CalibrationEdges.Length - 1; i++)
        {
            var from = BinaryMetrics.CalibrationEdges[i];
            var mb = e.Model.Calibration.FirstOrDefault(b => b.From == from);
            var bb = e.Baseline.Calibration.FirstOrDefault(b => b.From == from);
            s.AppendLine(CultureInfo.InvariantCulture, $"| {from:0.0}–{BinaryMetrics.CalibrationEdges[i + 1]:0.0} | {mb?.Count ?? 0} | {F(mb?.MeanPredicted)} | {Observed(mb)} | {bb?.Count ?? 0} | {F(bb?.MeanPredicted)} | {Observed(bb)} |");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Global importance (permutation feature importance: fall in ROC-AUC and PR-AUC when a feature is shuffled; {e.ImportanceWindow}):");
        s.AppendLine();
        s.AppendLine("| rank | feature | ROC-AUC drop | PR-AUC drop |");
        s.AppendLine("|---|---|---|---|");
        foreach (var f in e.Importance.Take(10))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {f.Rank} | {f.Words} (`{f.Feature}`) | {f.RocAucDrop:0.000} | {f.PrAucDrop:0.000} |");
        }
        return s.ToString();
    }

    /// <summary>Model minus baseline on the data and on the placebos, with the verdict of each.</summary>
    public static string PlaceboTable(IReadOnlyList<PlaceboRun> runs)
    {
        var s = new StringBuilder();
        s.AppendLine("| data | tested (declines) | PR-AUC model / baseline / no skill | ROC-AUC model / baseline | model − baseline PR-AUC (95% CI) | model − baseline ROC-AUC (95% CI) | verdict |");
        s.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            var e = r.Evaluation;
            var verdict = e.Margin is null ? "not evaluated" : e.BeatsBaseline ? "beats the baseline" : "no evidence";
            if (r.MustNotWin) verdict += r.Failed ? " — **FAILED: a placebo must not win**" : " — as it must";
            s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {e.Model.Count:N0} ({e.Model.Positives:N0}) | {F(e.Model.PrAuc)} / {F(e.Baseline.PrAuc)} / {e.Model.BaseRate:0.000} | {F(e.Model.RocAuc)} / {F(e.Baseline.RocAuc)} | {e.Margin?.PrAuc.ToString() ?? "–"} | {e.Margin?.RocAuc.ToString() ?? "–"} | {verdict} |");
        }
        return s.ToString();
    }

    /// <summary>What leads the high flags: how many have a pressure, compliance or complaints signal as their first reason, and how many a workforce-pressure one.</summary>
    public static string FirstReasons(IReadOnlyList<RiskFlag> flags)
    {
        var high = flags.Where(f => f.Band == "high").ToList();
        if (high.Count == 0) return "No high flags.";
        var signal = high.Count(f => f.ReasonFeatures.Count > 0 && !RiskFeatures.Get(f.ReasonFeatures[0]).History);
        var pressure = high.Count(f => f.ReasonFeatures.Count > 0 && RiskFeatures.Get(f.ReasonFeatures[0]).Pressure);
        var none = high.Count(f => f.ReasonFeatures.Count == 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"High flags ({high.Count:N0} team-quarters) whose first reason is a pressure, compliance or complaints signal: {Share(signal, high.Count)}; a workforce-pressure signal (caseload, agency workers): {Share(pressure, high.Count)}; with no reason that raises the risk: {Share(none, high.Count)}.");
    }

    private static string Share(int part, int whole) => string.Create(CultureInfo.InvariantCulture, $"{part:N0} of {whole:N0}, {(whole == 0 ? 0 : 100.0 * part / whole):0}%");

    private static string Observed(CalibrationBin? b) => b is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{b.ObservedRate:0.000} ({b.Declines:N0} of {b.Count:N0})");

    private static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
