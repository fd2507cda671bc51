namespace QaAnalytics.Ingest.Sample;

/// <summary>One written file: data rows (header excluded, planted rows included) and how many of them were planted to be rejected.</summary>
/// <param name="File">Path relative to the output folder, e.g. <c>audits.csv</c> or <c>truth/team_quarters.csv</c>.</param>
/// <param name="Rows">Data rows written, excluding the header.</param>
/// <param name="PlantedBadRows">Rows a loader must reject (0 unless <see cref="SampleOptions.Dirty"/>).</param>
public sealed record SampleFileSummary(string File, long Rows, long PlantedBadRows)
{
    /// <summary>Rows a correct loader accepts.</summary>
    public long ExpectedAccepted => Rows - PlantedBadRows;
}

/// <summary>What <see cref="SampleGenerator.Write"/> wrote.</summary>
public sealed record SampleSummary(string OutDir, IReadOnlyList<SampleFileSummary> Files)
{
    /// <summary>The summary for one file, by its relative path (e.g. <c>kpis.csv</c>).</summary>
    public SampleFileSummary this[string file] =>
        Files.FirstOrDefault(f => string.Equals(f.File, file, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No sample file '{file}'.");

    public long TotalRows => Files.Sum(f => f.Rows);

    public long TotalPlantedBadRows => Files.Sum(f => f.PlantedBadRows);
}
