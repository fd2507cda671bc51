using QaAnalytics.Models.Audits;

namespace QaAnalytics.Tests.Models.Audits;

public class GradeParserTests
{
    [Theory]
    [InlineData("Outstanding", Grade.Outstanding)]
    [InlineData("OUTSTANDING", Grade.Outstanding)]
    [InlineData(" outstanding\t", Grade.Outstanding)]
    [InlineData("1", Grade.Outstanding)]
    [InlineData(" 1 ", Grade.Outstanding)]
    [InlineData("Good", Grade.Good)]
    [InlineData("good.", Grade.Good)]
    [InlineData("2", Grade.Good)]
    [InlineData("RI", Grade.RequiresImprovement)]
    [InlineData("ri", Grade.RequiresImprovement)]
    [InlineData("r.i.", Grade.RequiresImprovement)]
    [InlineData("R/I", Grade.RequiresImprovement)]
    [InlineData("3", Grade.RequiresImprovement)]
    [InlineData("Requires Improvement", Grade.RequiresImprovement)]
    [InlineData("  requires   IMPROVEMENT ", Grade.RequiresImprovement)]
    [InlineData("requires-improvement", Grade.RequiresImprovement)]
    [InlineData("Requires\u00a0improvement", Grade.RequiresImprovement)]
    [InlineData("Requires improvement to be good", Grade.RequiresImprovement)]
    [InlineData("Requires Improvement to be Good (RI)", Grade.RequiresImprovement)]
    [InlineData("Requires improvement (RI)", Grade.RequiresImprovement)]
    [InlineData("Inadequate", Grade.Inadequate)]
    [InlineData("inadequate\r\n", Grade.Inadequate)]
    [InlineData("4", Grade.Inadequate)]
    public void TryParse_AcceptedSpelling_ReturnsGrade(string text, Grade expected)
    {
        Assert.True(GradeParser.TryParse(text, out var grade));
        Assert.Equal(expected, grade);
    }

    [Theory]
    [InlineData("Satisfactory")]
    [InlineData("5")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Good/RI")]
    [InlineData("Good to Outstanding")]
    [InlineData("Requires")]
    [InlineData("Improvement")]
    [InlineData("Adequate")]
    [InlineData("n/a")]
    [InlineData("1.0")]
    [InlineData("12")]
    public void TryParse_UnknownOrAmbiguous_ReturnsFalse(string text)
    {
        Assert.False(GradeParser.TryParse(text, out var grade));
        Assert.Equal(default, grade);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(GradeParser.TryParse(null, out _));
    }

    [Theory]
    [InlineData("  Requires   IMPROVEMENT ", "requires improvement")]
    [InlineData("Requires Improvement to be Good (RI)", "requires improvement to be good ri")]
    [InlineData("r.i.", "r i")]
    [InlineData("Good/RI", "good ri")]
    [InlineData("", "")]
    public void Normalise_Text_LowerCaseSingleSpacedNoPunctuation(string text, string expected)
    {
        Assert.Equal(expected, GradeParser.Normalise(text));
    }

    [Fact]
    public void Aliases_Keys_AreAlreadyNormalised()
    {
        // The keys go into DuckDB as a lookup table joined on the normalised text.
        Assert.All(GradeParser.Aliases.Keys, k => Assert.Equal(k, GradeParser.Normalise(k)));
    }

    [Fact]
    public void Aliases_EveryGrade_HasItsNameAndOfstedCode()
    {
        foreach (var grade in GradeExtensions.All)
        {
            Assert.Equal(grade, GradeParser.Aliases[((int)grade).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(GradeParser.TryParse(grade.DisplayName(), out var byName));
            Assert.Equal(grade, byName);
            Assert.True(GradeParser.TryParse(grade.ShortName(), out var byShort));
            Assert.Equal(grade, byShort);
        }
    }
}
