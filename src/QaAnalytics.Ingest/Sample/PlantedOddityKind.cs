namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// <c>kind</c> values in <c>truth/expected_oddities.csv</c>: awkward values a loader must accept
/// as they are (and an export must neutralise or keep intact).
/// </summary>
public static class PlantedOddityKind
{
    /// <summary>Text starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>: a spreadsheet formula if exported naively.</summary>
    public const string FormulaLikeText = "formula_like_text";

    /// <summary>Text with commas and double quotes, so it must be quoted in CSV.</summary>
    public const string QuotedText = "quoted_text";

    /// <summary>A team name with characters outside ASCII, stored as Windows-1252 in dirty mode.</summary>
    public const string NonAsciiCp1252 = "non_ascii_cp1252";
}
