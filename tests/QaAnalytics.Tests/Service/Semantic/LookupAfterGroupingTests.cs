using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// Issue 13: columns that come with a key are looked up after the grouping, once per group, not
/// taken with <c>any_value</c> from every row: a KPI's name, unit, polarity and target in
/// <c>dim_kpi</c> (<see cref="Dimension.Table"/>), a team's service area and name in <c>dim_team</c>.
/// Checked on the generated sample against statements written independently, both when DuckDB
/// finishes the table and when the calculator does.
/// </summary>
public sealed class LookupAfterGroupingTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "council × month × kpi_code", true },
        { "council × month × kpi_code", false },
        { "team × quarter × theme × kpi_code", true },
        { "team × quarter × theme × kpi_code", false },
        { "team × month × kpi_code", true },
        { "team × month × kpi_code", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task WriteAsync_ByKpiCode_AttributesAndFiguresAsTheReference(string name, bool finishInSql)
    {
        var byTheme = name.Contains("theme", StringComparison.Ordinal);
        var byTeam = name.StartsWith("team", StringComparison.Ordinal);  // both lookups, dim_team's and dim_kpi's
        var spec = new SemanticSpec
        {
            Columns = [new("kpi_rate", "kpi_rate"), new("kpi_numerator", "kpi_numerator"), new("kpi_denominator", "kpi_denominator")],
            GroupBy = byTeam ? OrgLevel.Team : OrgLevel.Council,
            Grain = byTheme ? PeriodGrain.FinancialQuarter : PeriodGrain.Month,
            Dimensions = byTheme ? ["theme", "kpi_code"] : ["kpi_code"],
            Period = new PeriodRange { FromMonth = "2023-04", ToMonth = "2024-03" },
        };
        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));
        using var query = new SemanticQuery(spec) { FinishInSql = finishInSql };
        Assert.DoesNotContain("any_value(kpi_name)", query.Plan().Sql, StringComparison.Ordinal);
        var rows = ArrowRows.Rows((await query.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None)).Chunks);

        var org = byTeam ? "team_id" : "la_code";
        var (period, where) = byTheme ? ("financial_quarter_label", " AND theme IS NOT NULL AND unit = 'rate'") : ("month_label", "");
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteAsync_ByTeam_ServiceAreaAndNameFromDimTeam_CountsAddUpToTheServiceAreas(bool finishInSql)
    {
        // Three sources (theme grades, KPIs, and complaints repeated on each theme), joined on the team's id alone.
        var byTeam = QaAnalytics.Service.Queries.AnalyticsQueries.TriangulationSpec(new TriangulationRequest { Grain = TimeGrain.FinancialQuarter, Period = new PeriodRange { FromMonth = "2023-04", ToMonth = "2024-03" } });
        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));
        using var teams = new SemanticQuery(byTeam) { FinishInSql = finishInSql };
        Assert.DoesNotContain("any_value(team_name)", teams.Plan().Sql, StringComparison.Ordinal);
        var rows = ArrowRows.Rows((await teams.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None)).Chunks);
        using var areas = new SemanticQuery(byTeam with { GroupBy = OrgLevel.ServiceArea }) { FinishInSql = finishInSql };
        var areaRows = ArrowRows.Rows((await areas.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None)).Chunks);

        var dimTeam = new Dictionary<string, (string Area, string Name)>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT team_id, service_area, team_name FROM dim_team";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) dimTeam[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }
        Assert.True(rows.Count > 100, $"only {rows.Count} rows");
        foreach (var row in rows)
        {
            var team = (string)row["team_id"]!;
            Assert.Equal(dimTeam[team].Area, row["service_area"]);
            Assert.Equal(dimTeam[team].Name, row["team_name"]);
        }
        // Each service area's theme grades and KPI denominators are its teams' added up (complaints, repeated per theme, are left out).
        var added = rows.GroupBy(r => (r["la_code"], r["service_area"], r["period"], r["theme"]))
            .ToDictionary(g => g.Key, g => (Grades: g.Sum(r => (long?)r["audits"] ?? 0), Due: g.Sum(r => (long?)r["kpi_denominator"] ?? 0)));
        var areaTotals = areaRows.ToDictionary(r => (r["la_code"], r["service_area"], r["period"], r["theme"]),
            r => (Grades: (long?)r["audits"] ?? 0, Due: (long?)r["kpi_denominator"] ?? 0));
        Assert.Equal(areaTotals.Count, added.Count);
        foreach (var (key, total) in areaTotals) Assert.Equal(total, added[key]);
        Assert.Contains(areaTotals.Values, t => t.Grades > 0 && t.Due > 0);
    }
}
