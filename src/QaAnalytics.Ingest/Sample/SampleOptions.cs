namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// What <see cref="SampleGenerator"/> writes. The data covers the <paramref name="Years"/> UK
/// financial years that end on 31 March of <c>EndFinancialYearStart + 1</c>; with the defaults,
/// April 2023 to March 2026. Nothing reads the clock, so the same options give the same bytes.
/// </summary>
/// <param name="OutDir">Folder for the five extract files; the truth files go into its <c>truth/</c> subfolder.</param>
/// <param name="Councils">Number of councils (1–200); LA codes run 800, 801, … (default 1).</param>
/// <param name="Years">Number of financial years (1–20; default 3).</param>
/// <param name="Seed">Root of every random stream (default 42).</param>
/// <param name="Dirty">Plant rows a loader must reject, plus a few awkward-but-valid values (default false).</param>
/// <param name="EndFinancialYearStart">Start year of the last financial year covered (default 2025, i.e. 2025/26).</param>
public sealed record SampleOptions(
    string OutDir,
    int Councils = 1,
    int Years = 3,
    int Seed = 42,
    bool Dirty = false,
    int EndFinancialYearStart = 2025)
{
    /// <summary>Most councils one run can hold: LA codes stay three digits (800–999).</summary>
    public const int MaxCouncils = 200;

    public const int MaxYears = 20;

    /// <summary>1 April of the first financial year covered.</summary>
    public DateOnly FirstDate => new(EndFinancialYearStart - Years + 1, 4, 1);

    /// <summary>31 March that ends the last financial year covered.</summary>
    public DateOnly LastDate => new(EndFinancialYearStart + 1, 3, 31);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutDir, nameof(OutDir));
        if (Councils is < 1 or > MaxCouncils)
        {
            throw new ArgumentOutOfRangeException(nameof(Councils), Councils, $"Councils must be between 1 and {MaxCouncils}.");
        }
        if (Years is < 1 or > MaxYears)
        {
            throw new ArgumentOutOfRangeException(nameof(Years), Years, $"Years must be between 1 and {MaxYears}.");
        }
        if (EndFinancialYearStart is < 2000 or > 2100)
        {
            throw new ArgumentOutOfRangeException(nameof(EndFinancialYearStart), EndFinancialYearStart, "EndFinancialYearStart must be between 2000 and 2100.");
        }
    }
}
