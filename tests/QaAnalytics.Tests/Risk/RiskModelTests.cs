using System.Globalization;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Risk;
using QaAnalytics.Tests.Sample;

namespace QaAnalytics.Tests.Risk;

/// <summary>
/// The model on data whose causal structure is known (pressure lowers quality one to two quarters
/// later): it must find the planted signal, judged only on quarters it has not seen.
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class RiskModelTests(RiskDataFixture data)
{
    private RiskEvaluation Evaluation => data.Model.Metadata.Evaluation;

    [Fact]
    public void Backtest_SampleData_ModelBeatsBaselineOnPrAuc()
    {
        Assert.NotEmpty(Evaluation.Folds);
        Assert.True(Evaluation.Model.PrAuc > Evaluation.Baseline.PrAuc,
            $"model PR-AUC {Evaluation.Model.PrAuc} vs baseline {Evaluation.Baseline.PrAuc}");
        Assert.True(Evaluation.Model.PrAuc > Evaluation.Model.BaseRate, "the model must beat no skill (PR-AUC = base rate)");
        Assert.True(Evaluation.BeatsBaselineOnPrAuc);
        Assert.DoesNotContain("NOT", Evaluation.Verdict, StringComparison.Ordinal);
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
            Assert.Equal(labelled.Count(r => r.QuarterIndex < t), fold.TrainRows);
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
    public void Label_SampleData_MoreCommonWhereTheTruthDeclined()
    {
        var truth = SampleCsv.Read(Path.Combine(data.SampleDir, "truth", "team_quarters.csv"));
        var declined = truth.Rows.ToDictionary(r => (truth.Get(r, "team_id"), truth.Get(r, "financial_quarter")), r => truth.Get(r, "quality_decline_next_quarter") == "Y");
        var labelled = data.Rows.Where(r => r.Declined is not null).ToList();

        double Rate(bool truthDeclined) => labelled.Where(r => declined[(r.TeamId, r.Quarter)] == truthDeclined).Average(r => r.Declined == true ? 1.0 : 0.0);
        Assert.True(Rate(true) > 1.5 * Rate(false), $"label rate where the truth declined {Rate(true)} vs not {Rate(false)}");
        Assert.All(labelled, r => Assert.True(r.Audits >= RiskLabel.Default.MinAudits));
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
        Assert.All(flags.Where(f => f.Band == "high"), f => Assert.InRange(f.Reasons.Count, 1, 3));
        Assert.Contains(flags.Where(f => f.Band == "high").SelectMany(f => f.ReasonFeatures), c => RiskFeatures.Get(c).Pressure);
        Assert.Equal(data.Rows.Select(r => r.TeamId).Distinct().Count(), flags.Where(f => f.QuarterStart == flags.Max(x => x.QuarterStart)).Count());
        Assert.All(flags.Where(f => f.QuarterStart == flags.Max(x => x.QuarterStart)), f => Assert.False(f.InTrainingWindow));
    }

    [Fact]
    public void Train_TooLittleHistory_RefusesWithWhatIsMissing()
    {
        var few = data.Rows.Where(r => r.QuarterIndex < 2)
            .Select(r => new TeamQuarter { TeamId = r.TeamId, Quarter = r.Quarter, QuarterIndex = r.QuarterIndex, Declined = false }).ToList();

        var ex = Assert.Throws<RiskModelException>(() => RiskModel.Train(few, "x", new RiskModelOptions(), RiskDataFixture.Time));
        Assert.Contains("declines", ex.Message, StringComparison.Ordinal);
    }
}
