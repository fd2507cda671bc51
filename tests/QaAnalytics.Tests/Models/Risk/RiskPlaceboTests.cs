using QaAnalytics.Ingest.Cli;
using QaAnalytics.Models.Risk;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Models.Risk;

/// <summary>
/// The verdict must not claim a win where there is nothing to find: (a) grades shuffled across
/// audits, (b) the pressure, compliance and complaints features shuffled across teams within a
/// quarter. On the planted data (the fixture) it does claim one, so these could fail.
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class RiskPlaceboTests(RiskDataFixture data)
{
    private readonly RiskTrainer _trainer = new(new RiskModelOptions());

    [Fact]
    public void GradesShuffled_PrivateCopyShuffledAndTheSnapshotUntouched()
    {
        // The verdict on this placebo is checked by Cli_ModelPlacebo_TheDataWinsAndNeitherPlaceboDoes.
        var snapshot = new SnapshotStore(data.DbPath).Current()!;
        var bytes = File.ReadAllBytes(snapshot);

        var rows = RiskPlacebo.GradesShuffled(snapshot, RiskLabel.Default, seed: 42);

        Assert.Equal(bytes, File.ReadAllBytes(snapshot));  // only a private copy is shuffled
        Assert.Equal(data.Rows.Count, rows.Count);
        Assert.Equal(data.Rows.Sum(r => r.Audits), rows.Sum(r => r.Audits));
        // The grades moved: the labels are not the data's labels.
        var labels = data.Rows.ToDictionary(r => (r.TeamId, r.QuarterIndex), r => r.Declined);
        Assert.Contains(rows, r => r.Declined is not null && labels[(r.TeamId, r.QuarterIndex)] is { } d && d != r.Declined);
        // The non-grade features are untouched.
        Assert.All(rows, r => Assert.Equal(data.Rows.First(x => x.TeamId == r.TeamId && x.QuarterIndex == r.QuarterIndex).Caseload, r.Caseload));
    }

    [Fact]
    public void Placebo_SignalsShuffledAcrossTeams_NoEvidenceAndTheMarginGoes()
    {
        var rows = RiskPlacebo.SignalsShuffled(data.Rows, seed: 42);
        var evaluation = RiskEvaluation.Run(rows, _trainer);

        Assert.False(evaluation.BeatsBaseline, evaluation.Verdict);
        Assert.StartsWith("NO EVIDENCE", evaluation.Verdict, StringComparison.Ordinal);
        // The pressure features carry the margin: without them belonging to the team it shrinks.
        var real = data.Model.Metadata.Evaluation.Margin!;
        Assert.True(evaluation.Margin!.PrAuc.Estimate < real.PrAuc.Lower, $"placebo {evaluation.Margin.PrAuc} vs data {real.PrAuc}");
    }

    [Fact]
    public void Cli_ModelPlacebo_TheDataWinsAndNeitherPlaceboDoes()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = IngestCli.RunPlacebo(data.DbPath, new RiskModelOptions());
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = output.ToString().Split('\n');
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains(lines, l => l.StartsWith("| data as loaded |", StringComparison.Ordinal) && l.Contains("| beats the baseline |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| " + RiskPlacebo.GradesName, StringComparison.Ordinal) && l.Contains("no evidence — as it must", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| " + RiskPlacebo.SignalsName, StringComparison.Ordinal) && l.Contains("no evidence — as it must", StringComparison.Ordinal));
    }

    [Fact]
    public void SignalsShuffled_EachQuarterKeepsItsValuesAndTheGradesStay()
    {
        var rows = RiskPlacebo.SignalsShuffled(data.Rows, seed: 42);

        Assert.Equal(data.Rows.Count, rows.Count);
        Assert.Equal(data.Rows.Select(r => r.Declined), rows.Select(r => r.Declined));
        foreach (var column in RiskFeatures.HistoryColumns) Assert.Equal(data.Rows.Select(r => r.Value(column)), rows.Select(r => r.Value(column)));
        foreach (var quarter in data.Rows.Select(r => r.QuarterIndex).Distinct())
        {
            Assert.Equal(data.Rows.Where(r => r.QuarterIndex == quarter).Select(r => r.Caseload).Order(),
                rows.Where(r => r.QuarterIndex == quarter).Select(r => r.Caseload).Order());
        }
        Assert.Contains(rows.Zip(data.Rows), p => !p.First.Caseload.Equals(p.Second.Caseload));
    }
}
