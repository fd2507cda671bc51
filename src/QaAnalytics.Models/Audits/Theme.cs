namespace QaAnalytics.Models.Audits;

/// <summary>Southampton's "Focus 5" practice themes graded within an audit.</summary>
public enum Theme
{
    Chronology,
    Assessment,
    Plan,
    Visiting,
    Supervision,
}

public static class ThemeExtensions
{
    public static IReadOnlyList<Theme> All { get; } =
        [Theme.Chronology, Theme.Assessment, Theme.Plan, Theme.Visiting, Theme.Supervision];

    /// <summary>The audits.csv column that carries this theme's grade, e.g. <c>visiting_grade</c>.</summary>
    public static string GradeColumn(this Theme theme) => theme.ToString().ToLowerInvariant() + "_grade";
}
