using DuckDB.NET.Data;
using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Tests.Service.Privacy;

public sealed class CellKeyTests
{
    [Theory]
    [InlineData("count(*)", "sum(record_key)")]
    [InlineData("count(*) FILTER (WHERE effective_grade = 1)", "sum(record_key) FILTER (WHERE effective_grade = 1)")]
    [InlineData("count(due_date)", "sum(CASE WHEN due_date IS NOT NULL THEN record_key END)")]
    [InlineData("CAST(sum(numerator) FILTER (WHERE unit = 'rate') AS BIGINT)", "sum(CASE WHEN numerator IS NOT NULL THEN record_key END) FILTER (WHERE unit = 'rate')")]
    public void Sql_Count_SumsTheKeysOfTheRecordsItCounts(string count, string keySum) =>
        Assert.Equal($"CAST(coalesce(({keySum}) % 4294967296, 0) AS DOUBLE)", CellKey.Sql(count));

    [Fact]
    public void Sql_NotACount_Throws() => Assert.Throws<InvalidOperationException>(() => CellKey.Sql("avg(score)"));

    [Fact]
    public void FromSum_WrapsModuloTwoToThe32() => Assert.Equal(0.5, CellKey.FromSum(CellKey.Modulus * 3 + CellKey.Modulus / 2));

    [Fact]
    public void Sql_OnDuckDb_GivesTheSameKeyForTheSameRecordsInAnyOrder()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        // Keys near 2^32: their sum passes 2^32 many times over, and must still be exact.
        cmd.CommandText = $"""
            CREATE TABLE t AS SELECT i, CAST(4294967295 - i AS UBIGINT) AS record_key, i % 3 AS g FROM range(100000) r(i);
            SELECT (SELECT {CellKey.Sql("count(*) FILTER (WHERE g = 1)")} FROM t),
                   (SELECT {CellKey.Sql("count(*) FILTER (WHERE g = 1)")} FROM (SELECT * FROM t ORDER BY random()));
            """;
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        var expected = Enumerable.Range(0, 100000).Where(i => i % 3 == 1).Aggregate(0L, (s, i) => (s + (4294967295L - i)) % CellKey.Modulus);
        Assert.Equal((double)expected, reader.GetDouble(0));
        Assert.Equal(reader.GetDouble(0), reader.GetDouble(1));
    }
}
