using System.Text.RegularExpressions;

namespace QaAnalytics.Models.Audits;

/// <summary>
/// The spellings councils use for a grade. The loader pushes <see cref="Aliases"/> into DuckDB as a
/// lookup table, so this list is the one place a spelling is accepted.
/// </summary>
public static partial class GradeParser
{
    /// <summary>Normalised spelling (lower case, single spaces, no punctuation) → grade.</summary>
    public static IReadOnlyDictionary<string, Grade> Aliases { get; } = new Dictionary<string, Grade>(StringComparer.Ordinal)
    {
        ["1"] = Grade.Outstanding,
        ["outstanding"] = Grade.Outstanding,
        ["2"] = Grade.Good,
        ["good"] = Grade.Good,
        ["3"] = Grade.RequiresImprovement,
        ["ri"] = Grade.RequiresImprovement,
        ["r i"] = Grade.RequiresImprovement, // "R.I.", "R/I"
        ["requires improvement"] = Grade.RequiresImprovement,
        ["requires improvement to be good"] = Grade.RequiresImprovement,
        ["requires improvement to be good ri"] = Grade.RequiresImprovement,
        ["requires improvement ri"] = Grade.RequiresImprovement,
        ["4"] = Grade.Inadequate,
        ["inadequate"] = Grade.Inadequate,
    };

    /// <summary>The words a person may write, for error messages.</summary>
    public const string Accepted = "Outstanding, Good, Requires Improvement (or RI, \"Requires improvement to be good\"), Inadequate, or Ofsted's codes 1-4 (1 = Outstanding)";

    /// <summary>
    /// Lower case, punctuation and brackets to spaces, runs of white space to one. The loader's SQL
    /// applies the same rule (<c>Sql/normalise.sql</c>); a test holds the two together.
    /// </summary>
    public static string Normalise(string text) =>
        Spaces().Replace(Punctuation().Replace(text.ToLowerInvariant(), " "), " ").Trim();

    public static bool TryParse(string? text, out Grade grade)
    {
        grade = default;
        return text is not null && Aliases.TryGetValue(Normalise(text), out grade);
    }

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
