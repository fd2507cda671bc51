using QaAnalytics.Models.Storage;

namespace QaAnalytics.Models.Risk;

/// <summary>One backtest on a placebo (or on the data as loaded, <paramref name="MustNotWin"/> false).</summary>
public sealed record PlaceboRun(string Name, RiskEvaluation Evaluation, bool MustNotWin)
{
    /// <summary>A placebo that claims a win: the verdict can not be trusted.</summary>
    public bool Failed => MustNotWin && Evaluation.BeatsBaseline;
}

/// <summary>
/// The two placebos of the risk model: data where the model must find nothing to add to the grade
/// history. (a) Grades shuffled across audits, moderation dropped: the grades carry no signal, so no
/// label is predictable. (b) The pressure, compliance and complaints features shuffled across teams
/// within each quarter (a team's set kept together): they no longer belong to the team, so any
/// margin over the grades-only baseline must vanish.
/// </summary>
public static class RiskPlacebo
{
    /// <summary>Both placebos backtested with <paramref name="trainer"/>: (a) on a shuffled copy of the snapshot at <paramref name="snapshotPath"/>, (b) on shuffled copies of <paramref name="rows"/>.</summary>
    public static List<PlaceboRun> Run(IReadOnlyList<TeamQuarter> rows, string snapshotPath, RiskTrainer trainer)
    {
        var options = trainer.Options;
        return
        [
            new(GradesName, RiskEvaluation.Run(GradesShuffled(snapshotPath, options.Label, options.Seed), trainer), MustNotWin: true),
            new(SignalsName, RiskEvaluation.Run(SignalsShuffled(rows, options.Seed), trainer), MustNotWin: true),
        ];
    }

    public const string GradesName = "placebo (a): grades shuffled across audits, moderation dropped";

    public const string SignalsName = "placebo (b): pressure, compliance and complaints features shuffled across teams within each quarter";

    /// <summary>Placebo (a): the feature table of a private copy of <paramref name="snapshotPath"/> with every audit's grades shuffled; the snapshot itself is only read.</summary>
    public static List<TeamQuarter> GradesShuffled(string snapshotPath, RiskLabel label, int seed)
    {
        var folder = Path.Combine(Path.GetTempPath(), "qa-placebo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var copy = Path.Combine(folder, "placebo.duckdb");
            File.Copy(snapshotPath, copy);
            using var connection = SnapshotDatabase.OpenWritable(copy);
            connection.Execute(RiskSql.Get("placebo_shuffle_grades.sql"), ("seed", seed));
            return RiskFeatureReader.Read(connection, label);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Placebo (b): copies of <paramref name="rows"/> whose non-history features are those of another team of the same quarter.</summary>
    public static List<TeamQuarter> SignalsShuffled(IReadOnlyList<TeamQuarter> rows, int seed)
    {
        var random = new Random(seed);
        var copies = rows.Select(r => r.Copy()).ToList();
        foreach (var quarter in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].QuarterIndex).OrderBy(g => g.Key))
        {
            var members = quarter.ToArray();
            var donors = members.ToArray();
            random.Shuffle(donors);
            for (var i = 0; i < members.Length; i++)
            {
                foreach (var column in RiskFeatures.SignalColumns) copies[members[i]].Set(column, rows[donors[i]].Value(column));
            }
        }
        return copies;
    }
}
