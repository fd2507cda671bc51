using Apache.Arrow.Types;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// Issue 13 §2: for exact figures DuckDB works out the derived measures and the previous-period
/// comparison (<see cref="SqlPlanner.Finishes"/>); the calculator still does for suppressed and
/// perturbed audiences. On the generated sample both must give the same table, cell for cell, with
/// the same columns in the same order.
/// </summary>
public sealed class FinishedInSqlTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    public static TheoryData<string> Specs => [.. Cases().Keys];

    private static Dictionary<string, SemanticSpec> Cases()
    {
        var cases = new Dictionary<string, SemanticSpec>(StringComparer.Ordinal)
        {
            ["grade distribution, team × quarter"] = AnalyticsQueries.GradeDistributionSpec(new GradeDistributionRequest { GroupBy = OrgLevel.Team }),
            ["grade distribution, service area × year"] = AnalyticsQueries.GradeDistributionSpec(new GradeDistributionRequest { GroupBy = OrgLevel.ServiceArea, Grain = TimeGrain.FinancialYear }),
            ["triangulation, team × quarter × theme"] = AnalyticsQueries.TriangulationSpec(new TriangulationRequest { Grain = TimeGrain.FinancialQuarter }),
            ["triangulation from mid-quarter, council × month"] = AnalyticsQueries.TriangulationSpec(
                new TriangulationRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.Month, Period = new PeriodRange { FromMonth = "2024-05", ToMonth = "2025-02" } }),
        };
        foreach (var (name, derived) in QaModel.Derived)
        {
            var kpi = derived.Inputs.Any(i => i.StartsWith("kpi_", StringComparison.Ordinal));
            foreach (var (grain, groupBy) in new[] { (PeriodGrain.Month, OrgLevel.Team), (PeriodGrain.FinancialQuarter, OrgLevel.Council), (PeriodGrain.All, OrgLevel.ServiceArea) })
            {
                cases[$"{name} by {groupBy} × {grain}"] = new SemanticSpec
                {
                    Columns = [new(name, name), .. derived.Inputs.Where(QaModel.Counts.ContainsKey).Where(i => QaModel.Counts[i].Published).Select(i => new MeasureColumn(i, i))],
                    GroupBy = groupBy, Grain = grain, Dimensions = kpi ? ["kpi_code"] : [], Compare = [name],
                    Period = new PeriodRange { FromMonth = "2023-06" },
                };
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task WriteAsync_ExactFigures_DuckDbAndTheCalculatorGiveTheSameTable(string name)
    {
        var spec = Cases()[name];
        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));

        using var inSql = new SemanticQuery(spec);
        using var calculated = new SemanticQuery(spec) { FinishInSql = false };
        var finished = await inSql.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None);
        var reference = await calculated.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None);

        Assert.Contains("\nv AS", inSql.Plan().Sql, StringComparison.Ordinal);  // DuckDB finished it
        Assert.Equal(Fields(reference), Fields(finished));
        var (expected, actual) = (ArrowRows.Rows(reference.Chunks), ArrowRows.Rows(finished.Chunks));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Keys, actual[i].Keys);  // the same columns, in the same order
            foreach (var (column, value) in expected[i]) Assert.True(Equals(value, actual[i][column]), $"row {i}, {column}: calculator {value}, DuckDB {actual[i][column]}");
        }
    }

    private static List<(string, ArrowTypeId, bool)> Fields(ArrowResult result)
    {
        using var bytes = new MemoryStream();
        foreach (var chunk in result.Chunks) bytes.Write(chunk.Span);
        bytes.Position = 0;
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(bytes);
        return [.. reader.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable))];
    }
}
