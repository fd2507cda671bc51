namespace QaAnalytics.Models.Audits;

/// <summary>
/// Ofsted's four-point judgement scale. The numeric value is Ofsted's own code (1 = Outstanding),
/// which is also what councils type into trackers; <see cref="GradeExtensions.Score"/> turns it
/// round so that a higher score means better practice.
/// </summary>
public enum Grade
{
    Outstanding = 1,
    Good = 2,
    RequiresImprovement = 3,
    Inadequate = 4,
}

public static class GradeExtensions
{
    /// <summary>All grades, best first.</summary>
    public static IReadOnlyList<Grade> All { get; } =
        [Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate];

    /// <summary>Score where higher is better: Outstanding 4, Good 3, RI 2, Inadequate 1.</summary>
    public static int Score(this Grade grade) => Enum.IsDefined(grade)
        ? 5 - (int)grade
        : throw new ArgumentOutOfRangeException(nameof(grade), grade, null);

    /// <summary>Outstanding or Good; an undefined value (e.g. <c>(Grade)0</c>) is not.</summary>
    public static bool IsGoodOrBetter(this Grade grade) => grade is Grade.Outstanding or Grade.Good;

    public static string DisplayName(this Grade grade) => grade switch
    {
        Grade.Outstanding => "Outstanding",
        Grade.Good => "Good",
        Grade.RequiresImprovement => "Requires Improvement",
        Grade.Inadequate => "Inadequate",
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, null),
    };

    public static string ShortName(this Grade grade) => grade switch
    {
        Grade.RequiresImprovement => "RI",
        _ => grade.DisplayName(),
    };
}
