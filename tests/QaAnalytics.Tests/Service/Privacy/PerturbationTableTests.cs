using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Tests.Service.Privacy;

public sealed class PerturbationTableTests
{
    private static readonly PerturbationTable Table = PerturbationTable.Default;

    [Fact]
    public void Change_Zero_StaysZero()
    {
        for (var k = 0.0; k < 1; k += 0.01) Assert.Equal(0, Table.Perturb(0, k));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1000)]
    public void Change_OverEveryCellKey_HasMeanZeroNeverNegativeAndIsExactAThirdOfTheTime(long count)
    {
        // Cell keys evenly over [0, 1): the changes' frequencies are the table's probabilities.
        const int steps = 100_000;
        var changes = Enumerable.Range(0, steps).Select(i => Table.Change(count, (i + 0.5) / steps)).ToList();

        Assert.Equal(0, changes.Average(), 3);
        Assert.All(changes, c => Assert.True(count + c >= 0));
        Assert.Equal(0.3, changes.Count(c => c == 0) / (double)steps, 3);
        Assert.Equal(count == 1 ? 1.0 : 1.3, changes.Average(c => (double)c * c), 3);
    }

    [Fact]
    public void Change_SameCountAndKey_IsTheSameEveryTime()
    {
        var key = 0.123456789;
        Assert.Equal(Table.Change(4, key), Table.Change(4, key));
        Assert.Equal(-2, Table.Change(4, 0.05));   // [0, 0.1) → −2
        Assert.Equal(0, Table.Change(4, 0.5));     // [0.35, 0.65) → 0
        Assert.Equal(2, Table.Change(4, 0.95));    // [0.9, 1) → +2
        Assert.Equal(-1, Table.Change(1, 0.1));    // a 1: [0, 0.4) → 0
    }

    [Fact]
    public void Constructor_BiasedOrNegativeRow_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new PerturbationTable([[new(1, 1.0)]]));                      // mean 1
        Assert.Throws<ArgumentException>(() => new PerturbationTable([[new(-2, 0.5), new(2, 0.5)]]));        // 1 − 2 < 0
        Assert.Throws<ArgumentException>(() => new PerturbationTable([[new(0, 0.5)]]));                      // probabilities add up to 0.5
    }

    [Fact]
    public void Change_KeyOutsideTheUnitInterval_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Table.Change(3, 1.0));

    [Fact]
    public void ToString_ListsEveryRow() =>
        Assert.Equal("1: -1 (0.4), 0 (0.3), +1 (0.2), +2 (0.1); 2 and over: -2 (0.1), -1 (0.25), 0 (0.3), +1 (0.25), +2 (0.1)", Table.ToString());
}
