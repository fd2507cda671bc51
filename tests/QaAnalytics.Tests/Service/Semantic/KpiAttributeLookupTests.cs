using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// Issue 13: a KPI's name, unit, polarity and target are looked up in <c>dim_kpi</c> after the
/// grouping (<see cref="Dimension.Table"/>), not taken with <c>any_value</c> from every row. On the
/// generated sample, the table must have the rows, figures and attributes of a reference statement
/// written independently over <c>v_kpi</c> (grouping by the keys, <c>any_value</c> of each attribute), both
/// when DuckDB finishes the table and when the calculator does.
/// </summary>
public sealed class KpiAttributeLookupTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "council × month × kpi_code", true },
        { "council × month × kpi_code", false },
        { "team × quarter × theme × kpi_code", true },
        { "team × quarter × theme × kpi_code", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task WriteAsync_ByKpiCode_AttributesAndFiguresAsTheReference(string name, bool finishInSql)
    {
        var byTheme = name.Contains("theme", StringComparison.Ordinal);
        var spec = new SemanticSpec
        {
            Columns = [new("kpi_rate", "kpi_rate"), new("kpi_numerator", "kpi_numerator"), new("kpi_denominator", "kpi_denominator")],
            GroupBy = byTheme ? OrgLevel.Team : OrgLevel.Council,
            Grain = byTheme ? PeriodGrain.FinancialQuarter : PeriodGrain.Month,
            Dimensions = byTheme ? ["theme", "kpi_code"] : ["kpi_code"],
            Period = new PeriodRange { FromMonth = "2023-04", ToMonth = "2024-03" },
        };
        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));
        using var query = new SemanticQuery(spec) { FinishInSql = finishInSql };
        Assert.DoesNotContain("any_value(kpi_name)", query.Plan().Sql, StringComparison.Ordinal);
        var rows = ArrowRows.Rows((await query.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None)).Chunks);

        var (org, period, where) = byTheme
            ? ("team_id", "financial_quarter_label", " AND theme IS NOT NULL AND unit = 'rate'")
            : ("la_code", "month_label", "");
        var reference = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT {org}, {period}, {(byTheme ? "theme" : "''")}, kpi_code, any_value(kpi_name), any_value(unit), any_value(polarity), any_value(target),
                       CAST(sum(numerator) FILTER (WHERE unit = 'rate') AS BIGINT), CAST(sum(denominator) FILTER (WHERE unit = 'rate') AS BIGINT)
                FROM v_kpi WHERE period >= DATE '2023-04-01' AND period < DATE '2024-04-01'{where}
                GROUP BY ALL
                """;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var values = new object?[reader.FieldCount];
                reader.GetValues(values!);
                reference[string.Join("|", values.Take(4))] = [.. values.Skip(4).Select(v => v is DBNull ? null : v)];
            }
        }

        Assert.True(reference.Count > 100, $"only {reference.Count} reference rows");
        Assert.Equal(reference.Count, rows.Count);
        foreach (var row in rows)
        {
            var key = string.Join("|", row[org], row["period"], byTheme ? row["theme"] : "", row["kpi_code"]);
            Assert.True(reference.TryGetValue(key, out var expected), $"no reference row {key}");
            Assert.Equal(expected[0], row["kpi_name"]);
            Assert.Equal(expected[1], row["unit"]);
            Assert.Equal(expected[2], row["polarity"]);
            Assert.Equal(expected[3] is null ? null : Convert.ToDouble(expected[3], System.Globalization.CultureInfo.InvariantCulture), row["target"]);
            Assert.Equal(expected[4], row["kpi_numerator"]);
            Assert.Equal(expected[5], row["kpi_denominator"]);
        }
        Assert.Contains(rows, r => r["unit"] as string == "rate" && r["kpi_numerator"] is not null);
        Assert.Contains(rows, r => r["target"] is not null);
    }
}
