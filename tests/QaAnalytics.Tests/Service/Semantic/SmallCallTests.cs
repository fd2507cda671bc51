using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// Issue 13: a call estimated under <see cref="AnalyticsQueries.CalculatorBelowCells"/> has its
/// exact figures finished by the calculator, not DuckDB. Through the real service it must still be
/// the table DuckDB finishes, cell for cell.
/// </summary>
public sealed class SmallCallTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    [Theory]
    [InlineData(OrgLevel.ServiceArea, TimeGrain.FinancialYear)]
    [InlineData(OrgLevel.Team, TimeGrain.FinancialQuarter)]
    [InlineData(OrgLevel.Team, TimeGrain.Month)]
    public async Task GradeDistribution_OneCouncil_TheTableDuckDbFinishes(OrgLevel groupBy, TimeGrain grain)
    {
        var request = new GradeDistributionRequest { GroupBy = groupBy, Grain = grain, Scope = new Scope { LaCodes = { "800" } } };
        var director = new Caller("dir-800", Role.Director, "800", null, null);
        Assert.True(PlanWeight.Estimate(request, director) < AnalyticsQueries.CalculatorBelowCells);

        var served = Assert.Single(await ArrowChunkReader.ReadAsync(fixture.Director("800").GetGradeDistribution(request))).Rows;

        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));
        using var finished = new SemanticQuery(AnalyticsQueries.GradeDistributionSpec(request));
        Assert.Contains("\nv AS", finished.Plan().Sql, StringComparison.Ordinal);  // DuckDB finishes this one
        var expected = ArrowRows.Rows((await finished.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None)).Chunks);

        Assert.True(expected.Count > 3, $"{expected.Count} rows");
        Assert.Equal(expected.Count, served.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Keys, served[r].Keys);
            foreach (var (column, value) in expected[r]) Assert.True(Equals(value, served[r][column]), $"row {r}, {column}: DuckDB {value}, served {served[r][column]}");
        }
    }
}
