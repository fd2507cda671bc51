using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Tests.Service.Privacy;

public sealed class DisclosureTests
{
    private static readonly Disclosure Dfe = new(5);

    [Fact]
    public void Apply_OneSmallCell_WithholdsTheNextSmallestNonZeroCellToo()
    {
        // 3 alone could be recovered as 33 - 10 - 20 - 0; withholding 10 as well prevents it.
        var (cells, total) = Dfe.Apply([3, 10, 20, 0], 33);
        Assert.Equal(new long?[] { null, null, 20, 0 }, cells);
        Assert.Equal(33, total);
    }

    [Fact]
    public void Apply_TwoSmallCells_NeedNoSecondary()
    {
        Assert.Equal(new long?[] { null, null, 20, 0 }, Dfe.Apply([3, 4, 20, 0], 27).Cells);
    }

    [Fact]
    public void Apply_ZerosAndLargeCounts_AreShown()
    {
        Assert.Equal(new long?[] { 0, 12, 20, 0 }, Dfe.Apply([0, 12, 20, 0], 32).Cells);
    }

    [Fact]
    public void Apply_SmallTotal_WithholdsTotalAndEveryNonZeroCell()
    {
        var (cells, total) = Dfe.Apply([2, 1, 0, 0], 3);
        Assert.Equal(new long?[] { null, null, 0, 0 }, cells);
        Assert.Null(total);
    }

    [Fact]
    public void Apply_Off_ShowsEverything()
    {
        Assert.Equal(new long?[] { 1, 2, 0, 0 }, Disclosure.Off.Apply([1, 2, 0, 0], 3).Cells);
        Assert.Null(Disclosure.Off.Note);
    }

    [Fact]
    public void Apply_AfterSuppression_NoWithheldCellCanBeRecoveredFromTheTotal()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 2000; trial++)
        {
            var raw = Enumerable.Range(0, 4).Select(_ => (long)random.Next(0, 15)).ToArray();
            var (cells, total) = Dfe.Apply(raw, raw.Sum());
            if (total is null) continue;
            Assert.NotEqual(1, cells.Count(c => c is null));
            Assert.All(cells.Zip(raw), p => Assert.True(p.First is null || p.First == p.Second));
            Assert.All(raw.Where((c, i) => Dfe.IsSmall(c)), _ => Assert.Contains(null, cells));
        }
    }

    [Fact]
    public void ApplyWithin_WithheldTotal_WithholdsEveryNonZeroCell()
    {
        // Moderated 12 withheld (secondary): agreed 12, upgraded 0, downgraded 0 would give it back.
        Assert.Equal(new long?[] { null, 0, 0 }, Dfe.ApplyWithin([12, 0, 0], 12, totalShown: false));
        Assert.Equal(new long?[] { 12, 0, 0 }, Dfe.ApplyWithin([12, 0, 0], 12, totalShown: true));
        Assert.Equal(new long?[] { null, null, 20 }, Dfe.ApplyWithin([3, 10, 20], 33, totalShown: true));
    }
}
