using System.Globalization;
using QaAnalytics.Models.Risk;
using QaAnalytics.Tests.Ingest.Sample;

namespace QaAnalytics.Tests.Models.Risk;

/// <summary>
/// The model on data whose causal structure is known (pressure lowers quality one to two quarters
/// later): it must find the planted signal, judged only on quarters it has not seen.
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class RiskModelTests(RiskDataFixture data)
{
    private RiskEvaluation Evaluation => data.Model.Metadata.Evaluation;

    [Fact]
    public void Backtest_PlantedPressure_BeatsTheGradesOnlyBaselineWithIntervalsAboveZero()
    {
        Assert.NotEmpty(Evaluation.Folds);
        var margin = Evaluation.Margin!;
        Assert.True(margin.PrAuc.Lower > 0 && margin.RocAuc.Lower > 0, $"PR-AUC {margin.PrAuc}, ROC-AUC {margin.RocAuc}");
        Assert.True(margin.Resamples >= 1000);
        Assert.Equal(Evaluation.Model.PrAuc!.Value - Evaluation.Baseline.PrAuc!.Value, margin.PrAuc.Estimate, 9);
        Assert.InRange(margin.PrAuc.Estimate, margin.PrAuc.Lower, margin.PrAuc.Upper);
        Assert.True(Evaluation.Model.PrAuc > Evaluation.Model.BaseRate, "the model must beat no skill (PR-AUC = base rate)");
        Assert.True(Evaluation.BeatsBaseline);
        Assert.StartsWith("The model beats the grades-only baseline", Evaluation.Verdict, StringComparison.Ordinal);
        Assert.False(data.Model.Metadata.Bands.Widened);
    }

    [Fact]
    public void Baseline_SeesOnlyTheGradeHistory()
    {
        Assert.All(RiskFeatures.HistoryColumns, c => Assert.True(RiskFeatures.Get(c).History));
        Assert.Contains("usual_mean_score", RiskFeatures.HistoryColumns);
        Assert.Contains("inadequate_audits", RiskFeatures.HistoryColumns);
        Assert.DoesNotContain(RiskFeatures.HistoryColumns, c => RiskFeatures.Get(c).Pressure);
        Assert.Equal(RiskFeatures.Columns.Length, RiskFeatures.HistoryColumns.Length + RiskFeatures.SignalColumns.Length);
    }

    [Fact]
    public void Calibrator_ChosenByBacktestBrier()
    {
        Assert.Equal(Evaluation.IsotonicBrier < Evaluation.PlattBrier ? RiskCalibrator.Isotonic : RiskCalibrator.Platt, Evaluation.Calibrator);
        Assert.Equal(Math.Min(Evaluation.IsotonicBrier, Evaluation.PlattBrier), Evaluation.Model.Brier, 9);
        Assert.Equal(Evaluation.Model.Count, Evaluation.Model.Calibration.Sum(b => b.Count));
        Assert.Equal(Evaluation.Model.Positives, Evaluation.Model.Calibration.Sum(b => b.Declines));
    }

    [Fact]
    public void Importance_SampleData_PlantedPressureDriverRanksInTopFive()
    {
        var top = Evaluation.Importance.Take(5).ToList();

        Assert.Contains(top, f => f.Pressure);
        Assert.All(top, f => Assert.True(f.RocAucDrop > 0, $"{f.Feature} is in the top five but shuffling it costs nothing"));
    }

    [Fact]
    public void Backtest_EachFold_TrainsOnlyOnEarlierQuarters()
    {
        var labelled = data.Rows.Where(r => r.Declined is not null).ToList();
        foreach (var fold in Evaluation.Folds)
        {
            var t = labelled.First(r => r.Quarter == fold.Quarter).QuarterIndex;
            // Trained only on rows whose two-quarter outcome was known by quarter t.
            Assert.Equal(labelled.Count(r => r.QuarterIndex <= t - RiskLabel.Horizon), fold.TrainRows);
            Assert.Equal(labelled.Count(r => r.QuarterIndex == t), fold.TestRows);
        }
        Assert.Equal(Evaluation.Folds.Sum(f => f.TestRows), Evaluation.Model.Count);
        // Every quarter from the first with enough history to the last is tested, not a chosen few.
        var quarters = labelled.Select(r => r.Quarter).Distinct().ToList();
        Assert.Equal(quarters.SkipWhile(q => q != Evaluation.Folds[0].Quarter), Evaluation.Folds.Select(f => f.Quarter));
    }

    [Fact]
    public void Features_SampleData_CaseloadFollowsThePlantedPressure()
    {
        var truth = SampleCsv.Read(Path.Combine(data.SampleDir, "truth", "team_quarters.csv"));
        var pressure = truth.Rows.ToDictionary(r => (truth.Get(r, "team_id"), truth.Get(r, "financial_quarter")),
            r => double.Parse(truth.Get(r, "pressure"), CultureInfo.InvariantCulture));
        var rows = data.Rows.Where(r => !float.IsNaN(r.Caseload)).ToList();
        var caseload = rows.Select(x => x.Caseload - Mean(x.TeamId)).ToList();
        var planted = rows.Select(x => pressure[(x.TeamId, x.Quarter)]).ToList();

        Assert.Equal(data.Rows.Count, pressure.Count);
        var r = SampleCausalStructureTests.Correlation(caseload, planted);
        Assert.True(r > 0.5, $"caseload (within team) vs planted pressure: {r}");

        double Mean(string team) => rows.Where(x => x.TeamId == team).Average(x => (double)x.Caseload);
    }

    [Fact]
    public void Label_SampleData_FollowsThePlantedFallInQuality()
    {
        // The planted latent quality: did the next two quarters fall below the team's last four?
        var truth = SampleCsv.Read(Path.Combine(data.SampleDir, "truth", "team_quarters.csv"));
        var quality = truth.Rows.GroupBy(r => truth.Get(r, "team_id"))
            .ToDictionary(g => g.Key, g => g.Select(r => double.Parse(truth.Get(r, "quality"), CultureInfo.InvariantCulture)).ToList());
        var labelled = data.Rows.Where(r => r.Declined is not null).ToList();
        bool Fell(TeamQuarter r)
        {
            var q = quality[r.TeamId];
            var t = r.QuarterIndex;
            return (q[t + 1] + q[t + 2]) / 2 - q.Skip(t - 3).Take(4).Average() < -0.25;
        }

        double Rate(bool fell) => labelled.Where(r => Fell(r) == fell).Average(r => r.Declined == true ? 1.0 : 0.0);
        Assert.True(Rate(true) > 2 * Rate(false), $"label rate where quality truly fell {Rate(true)} vs not {Rate(false)}");
        Assert.All(labelled, r => Assert.True(r.UsualAudits >= RiskLabel.Default.MinReferenceAudits));
        Assert.DoesNotContain(labelled, r => r.QuarterIndex < 3 || r.QuarterIndex > data.Rows.Max(x => x.QuarterIndex) - RiskLabel.Horizon);
    }

    [Fact]
    public void Fit_SameDataAndSeed_SameProbabilities()
    {
        var labelled = data.Rows.Where(r => r.Declined is not null).Take(250).ToList();
        var trainer = new RiskTrainer(new RiskModelOptions());

        var first = RiskTrainer.Probabilities(trainer.FitModel(labelled).Model, data.Rows);
        var second = RiskTrainer.Probabilities(trainer.FitModel(labelled).Model, data.Rows);

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 10);
    }

    [Fact]
    public void SaveLoad_RoundTrip_SameFlagsAndMetadata()
    {
        var loaded = RiskModel.Load(data.ModelDir);

        Assert.Equal(data.Model.Metadata.ModelVersion, loaded.Metadata.ModelVersion);
        Assert.Equal(data.Model.Metadata.Evaluation.Model.PrAuc, loaded.Metadata.Evaluation.Model.PrAuc);
        Assert.Equal(data.Model.Score(data.Rows).Select(f => f.Probability), loaded.Score(data.Rows).Select(f => f.Probability));
        var card = File.ReadAllText(Path.Combine(data.ModelDir, RiskModel.CardFile));
        Assert.Contains("never an automatic decision", card, StringComparison.Ordinal);
        Assert.Contains(data.Model.Metadata.ModelVersion, card, StringComparison.Ordinal);
        Assert.Contains(RiskLabel.Default.Describe(), card, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_EveryTeamQuarter_BandsFollowThresholdsAndReasonsRaiseTheRisk()
    {
        var flags = data.Model.Score(data.Rows);
        var bands = data.Model.Metadata.Bands;

        Assert.Equal(data.Rows.Count, flags.Count);
        Assert.All(flags, f => Assert.Equal(f.Probability >= bands.High ? "high" : f.Probability >= bands.Watch ? "watch" : "low", f.Band));
        Assert.Contains(flags, f => f.Band == "high");
        Assert.All(flags.Where(f => f.Band == "high"), f => Assert.InRange(f.Reasons.Count, 0, 3));
        Assert.Contains(flags.Where(f => f.Band == "high").SelectMany(f => f.ReasonFeatures), c => RiskFeatures.Get(c).Pressure);
        Assert.All(flags, f =>
        {
            Assert.Equal(f.Reasons.Count, f.ReasonFeatures.Count);
            Assert.Equal(f.Reasons.Count, f.Reasons.Distinct().Count());
            Assert.All(f.ReasonFeatures, c => Assert.NotEqual(FeatureUnit.Count, RiskFeatures.Get(c).Unit));
            // The reasons, split by kind, in the same order.
            Assert.Equal(f.Reasons.Where((_, i) => !RiskFeatures.Get(f.ReasonFeatures[i]).History), f.DriversPressure.Take(f.Reasons.Count(r => f.DriversPressure.Contains(r))));
            Assert.All(f.DriversHistory, r => Assert.DoesNotContain(r, f.DriversPressure));
        });
        Assert.Equal(data.Rows.Select(r => r.TeamId).Distinct().Count(), flags.Where(f => f.QuarterStart == flags.Max(x => x.QuarterStart)).Count());
        Assert.All(flags.Where(f => f.QuarterStart == flags.Max(x => x.QuarterStart)), f => Assert.False(f.InTrainingWindow));
    }

    [Fact]
    public void Train_TooLittleHistory_RefusesWithWhatIsMissing()
    {
        var few = data.Rows.Where(r => r.QuarterIndex < 2)
            .Select(r => new TeamQuarter { TeamId = r.TeamId, Quarter = r.Quarter, QuarterIndex = r.QuarterIndex, Audits = 10, Declined = null }).ToList();

        var ex = Assert.Throws<RiskModelException>(() => RiskModel.Train(few, "x", new RiskModelOptions(), RiskDataFixture.Time));
        Assert.Contains("at least 7 quarters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_NoAudits_RefusesSayingSo()
    {
        var none = data.Rows.Select(r => new TeamQuarter { TeamId = r.TeamId, Quarter = r.Quarter, QuarterIndex = r.QuarterIndex, Audits = 0 }).ToList();

        var ex = Assert.Throws<RiskModelException>(() => RiskModel.Train(none, "x", new RiskModelOptions(), RiskDataFixture.Time));
        Assert.Contains("no case audits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_EveryLabelTheSame_RefusesSayingSo()
    {
        var same = data.Rows.Select(r => { var c = r.Copy(); if (c.Declined is not null) c.Declined = false; return c; }).ToList();

        var ex = Assert.Throws<RiskModelException>(() => RiskModel.Train(same, "x", new RiskModelOptions(), RiskDataFixture.Time));
        Assert.Contains("is a non-decline", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelOfAnotherSchemaVersion_RefusedNamingBothVersions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "qa-risk-schema-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.GetFiles(data.ModelDir)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            var json = Path.Combine(folder, RiskModel.MetadataFile);
            File.WriteAllText(json, File.ReadAllText(json).Replace($"\"SchemaVersion\": {RiskModelMetadata.CurrentSchemaVersion}", "\"SchemaVersion\": 1", StringComparison.Ordinal));

            var ex = Assert.Throws<RiskModelException>(() => RiskModel.Load(folder));
            Assert.Contains("schema version 1", ex.Message, StringComparison.Ordinal);
            Assert.Contains($"schema version {RiskModelMetadata.CurrentSchemaVersion}", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Fit_NoEvidence_WidensTheBands()
    {
        var labelled = data.Rows.Where(r => r.Declined is not null).ToList();
        var none = new RiskEvaluation([], BinaryMetrics.Compute([]), BinaryMetrics.Compute([]), null, RiskCalibrator.Platt, double.NaN, double.NaN, [], "");
        var options = new RiskModelOptions { Trees = 10 };

        var bands = RiskModel.Fit(labelled, "x", options, RiskDataFixture.Time, none, []).Metadata.Bands;

        var usual = RiskBands.From(labelled, options);
        Assert.True(bands.Widened);
        Assert.Equal(Math.Min(0.95, usual.High * options.NoEvidenceWidening), bands.High, 9);
        Assert.Equal(Math.Min(0.95, usual.Watch * options.NoEvidenceWidening), bands.Watch, 9);
        Assert.StartsWith("NOT EVALUATED", none.Verdict, StringComparison.Ordinal);
    }
}
