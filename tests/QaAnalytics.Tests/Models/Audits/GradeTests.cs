using QaAnalytics.Models.Audits;

namespace QaAnalytics.Tests.Models.Audits;

public class GradeTests
{
    [Theory]
    [InlineData(Grade.Outstanding, 4, true, "Outstanding", "Outstanding")]
    [InlineData(Grade.Good, 3, true, "Good", "Good")]
    [InlineData(Grade.RequiresImprovement, 2, false, "Requires Improvement", "RI")]
    [InlineData(Grade.Inadequate, 1, false, "Inadequate", "Inadequate")]
    public void Members_EachGrade_Expected(Grade grade, int score, bool goodOrBetter, string display, string shortName)
    {
        Assert.Equal(score, grade.Score());
        Assert.Equal(goodOrBetter, grade.IsGoodOrBetter());
        Assert.Equal(display, grade.DisplayName());
        Assert.Equal(shortName, grade.ShortName());
    }

    [Fact]
    public void Value_IsOfstedCode()
    {
        Assert.Equal(1, (int)Grade.Outstanding);
        Assert.Equal(4, (int)Grade.Inadequate);
    }

    [Fact]
    public void All_BestFirst_ScoresDescending()
    {
        Assert.Equal([4, 3, 2, 1], GradeExtensions.All.Select(g => g.Score()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void Members_UndefinedValue_NotGoodAndThrows(int value)
    {
        var grade = (Grade)value;
        Assert.False(grade.IsGoodOrBetter());
        Assert.Throws<ArgumentOutOfRangeException>(() => grade.Score());
        Assert.Throws<ArgumentOutOfRangeException>(() => grade.DisplayName());
    }

    [Fact]
    public void ThemeGradeColumn_Visiting_IsSnakeCaseColumn()
    {
        Assert.Equal("visiting_grade", Theme.Visiting.GradeColumn());
        Assert.Equal(["chronology_grade", "assessment_grade", "plan_grade", "visiting_grade", "supervision_grade"],
            ThemeExtensions.All.Select(t => t.GradeColumn()));
        Assert.Equal(Enum.GetValues<Theme>(), ThemeExtensions.All);
    }
}
