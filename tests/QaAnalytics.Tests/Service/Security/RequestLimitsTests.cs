using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Tests.Service.Security;

public sealed class RequestLimitsTests
{
    [Fact]
    public void CheckList_OverTheCap_NamesTheFieldAndTheLimit()
    {
        var ex = Assert.Throws<BadArgumentException>(() => RequestLimits.CheckList("scope.la_codes", Enumerable.Range(0, 50_000).Select(i => i.ToString()).ToList()));
        Assert.Equal("scope.la_codes", ex.Field);
        Assert.Contains("at most 100 values", ex.Message);
    }

    [Theory]
    [InlineData("800-T02\u0000junk", "U+0000")]
    [InlineData("800-T02\nAccess: forged", "U+000A")]
    [InlineData("800-\u202ET02", "U+202E")]
    [InlineData("800-\u2066T02", "U+2066")]
    public void CheckValue_ControlOrBidiCharacter_IsRefused(string value, string named)
    {
        var ex = Assert.Throws<BadArgumentException>(() => RequestLimits.CheckValue("scope.team_ids", value));
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void CheckValue_PlainIdOrAccentedName_Passes()
    {
        RequestLimits.CheckValue("scope.team_ids", "800-T02");
        RequestLimits.CheckValue("scope.service_areas", "Enfance et Famille — Équipe 2");
    }

    [Fact]
    public void LogTextEscape_NewlineAndControls_CannotForgeALine()
    {
        var escaped = LogText.Escape("800-T02\nAccess: x (director) Query asked ; 999 row(s)\u0000\u202E");
        Assert.DoesNotContain('\n', escaped);
        Assert.DoesNotContain('\u0000', escaped);
        Assert.StartsWith(@"800-T02\nAccess", escaped);
        Assert.EndsWith(@"\u0000\u202e", escaped);
    }

    [Fact]
    public void LogTextList_HugeRequest_IsCapped()
    {
        var list = LogText.List(Enumerable.Range(0, 50_000).Select(i => new string('x', 1000) + i).ToList());
        Assert.True(list.Length <= LogText.MaxLength + 1, list.Length.ToString());
        Assert.Contains("more", list);
    }
}
