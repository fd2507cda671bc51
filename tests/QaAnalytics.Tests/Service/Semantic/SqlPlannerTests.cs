using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>Issue 13 §1: the SQL planner is a pure function of the spec — its SQL shape and parameters, without a database.</summary>
public sealed class SqlPlannerTests
{
    private static SemanticSpec Spec(PeriodGrain grain, params string[] measures) => new()
    {
        Columns = measures.Select(m => new MeasureColumn(m, m)).ToList(), GroupBy = OrgLevel.Council, Grain = grain,
        Period = new PeriodRange { FromMonth = "2023-05", ToMonth = "2024-03" },
    };

    private static SqlPlan Plan(SemanticSpec spec, bool cellKeys = false) => SqlPlanner.Plan(new ResolvedSpec(spec), cellKeys);

    [Fact]
    public void Plan_Quarter_GroupsByTheQuarterLabelOverTheRange()
    {
        var plan = Plan(Spec(PeriodGrain.FinancialQuarter, "audits"));

        Assert.Contains("SELECT la_code, financial_quarter_label AS period,", plan.Sql, StringComparison.Ordinal);
        Assert.Contains($"FROM {QaModel.Sources["audit"].From} AS src", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("WHERE month_start >= $from AND month_start < $until", plan.Sql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY la_code, period", plan.Sql, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2023, 5, 1), plan.Parameters["from"]);
        Assert.Equal(new DateOnly(2024, 4, 1), plan.Parameters["until"]);
        Assert.Null(plan.LookbackLabel);
    }

    [Fact]
    public void Plan_Share_ReadsItsCountsAndTheirWholePartition()
    {
        var plan = Plan(Spec(PeriodGrain.FinancialYear, "effective_good_share"));

        // Suppression is the same whatever is asked: every grade count of the partition is read.
        foreach (var grade in QaModel.GradeNames) Assert.Contains($"AS effective_{grade}", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("coalesce(audits, 0) AS audits", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("financial_year AS period", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Compare_ReadsTheWholePeriodBeforeFirstAndLabelsIt()
    {
        var plan = Plan(Spec(PeriodGrain.FinancialQuarter, "audits") with { Compare = ["audits"] });

        Assert.Equal("2022/23 Q4", plan.LookbackLabel);
        Assert.Equal(new DateOnly(2023, 1, 1), plan.Parameters["back_from"]);
        Assert.Equal(new DateOnly(2023, 4, 1), plan.Parameters["back_until"]);
        Assert.Equal("2022/23 Q4", plan.Parameters["back_label"]);
        Assert.Contains("OR (month_start >= $back_from AND month_start < $back_until)", plan.Sql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY period = $back_label DESC, la_code, period", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Rolling_ReadsMonthsFromElevenBeforeTheFirstWindow()
    {
        var plain = Plan(Spec(PeriodGrain.Rolling12Months, "audits"));
        var compared = Plan(Spec(PeriodGrain.Rolling12Months, "audits") with { Compare = ["audits"] });

        Assert.Contains("month_label AS period", plain.Sql, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2022, 6, 1), plain.Parameters["from"]);
        Assert.Equal(new DateOnly(2022, 5, 1), compared.Parameters["from"]);  // one more window, for the first one's previous
        Assert.Null(compared.LookbackLabel);
        Assert.False(compared.Parameters.ContainsKey("back_from"));
    }

    [Fact]
    public void Plan_All_OnePeriodNamedAll()
    {
        var plan = Plan(Spec(PeriodGrain.All, "audits"));
        Assert.Contains("'all' AS period", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_FiltersAndScope_ValuesAreParametersNeverText()
    {
        var spec = Spec(PeriodGrain.Month, "audits") with
        {
            GroupBy = OrgLevel.Team,
            Scope = new Scope { LaCodes = { "846" }, TeamIds = { "T1", "T2" } },
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["audit_type"] = ["case'; DROP TABLE fact_audit; --", "thematic"] },
        };

        var plan = Plan(spec);

        Assert.Contains("AND la_code IN ($la_0)", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("AND team_id IN ($team_0, $team_1)", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("audit_type IN ($f_0, $f_1)", plan.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DROP TABLE", plan.Sql, StringComparison.Ordinal);
        Assert.Equal("case'; DROP TABLE fact_audit; --", plan.Parameters["f_0"]);
        Assert.Equal("846", plan.Parameters["la_0"]);
        Assert.Equal("T2", plan.Parameters["team_1"]);
        Assert.Contains("SELECT la_code, team_id, month_label AS period,", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ColumnsThatComeWithAKey_NotGrouped()
    {
        // A KPI's name, unit, polarity and target come from dim_kpi, keyed by kpi_code: one value per
        // code, so not group keys; they are looked up in dim_kpi after the grouping. The KPI paired with
        // a theme is not one per theme on the KPI source (several rate KPIs may share a theme), so it
        // stays a key; so do service areas by service area. A team's name and service area come with
        // its id: grouped and joined on the id alone, they are looked up in dim_team.
        var byKpi = Plan(Spec(PeriodGrain.Month, "kpi_rate") with { Dimensions = ["kpi_code"] });
        Assert.Contains("SELECT la_code, month_label AS period, kpi_code AS kpi_code, CAST(", byKpi.Sql, StringComparison.Ordinal);
        Assert.Contains("a0_kpi_code.kpi_name, a0_kpi_code.unit, a0_kpi_code.polarity, a0_kpi_code.target, ", byKpi.Sql, StringComparison.Ordinal);
        Assert.Contains("LEFT JOIN (SELECT kpi_code AS lookup_key, kpi_name, unit, polarity, target FROM dim_kpi) AS a0_kpi_code ON a0_kpi_code.lookup_key = s0.kpi_code", byKpi.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("any_value", byKpi.Sql, StringComparison.Ordinal);

        var byTheme = Plan(Spec(PeriodGrain.Month, "kpi_rate") with { Dimensions = ["theme"] });
        Assert.Contains("theme AS theme, kpi_code, target,", byTheme.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("any_value", byTheme.Sql, StringComparison.Ordinal);

        var byServiceArea = Plan(Spec(PeriodGrain.Month, "audits") with { GroupBy = OrgLevel.ServiceArea });
        Assert.Contains("SELECT la_code, service_area, month_label AS period,", byServiceArea.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("team_lookup", byServiceArea.Sql, StringComparison.Ordinal);

        var byTeam = Plan(Spec(PeriodGrain.Month, "audits", "kpi_rate") with { GroupBy = OrgLevel.Team });
        Assert.Contains("SELECT la_code, team_id, month_label AS period,", byTeam.Sql, StringComparison.Ordinal);
        Assert.Contains(" FULL JOIN s1 USING (la_code, team_id, period)", byTeam.Sql, StringComparison.Ordinal);
        Assert.Contains("SELECT la_code, team_lookup.service_area AS service_area, team_id, team_lookup.team_name AS team_name, period,", byTeam.Sql, StringComparison.Ordinal);
        Assert.Contains("LEFT JOIN (SELECT team_id AS lookup_key, service_area, team_name FROM dim_team) AS team_lookup ON team_lookup.lookup_key = team_id", byTeam.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("any_value", byTeam.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwoSources_OneCteEachJoinedOnTheirKeys()
    {
        var spec = Spec(PeriodGrain.FinancialQuarter, "theme_grades", "kpi_rate") with { GroupBy = OrgLevel.Team, Dimensions = ["theme"] };

        var plan = Plan(spec);

        Assert.StartsWith("WITH s0 AS (", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("s0 FULL JOIN s1 USING (la_code, team_id, period, theme)", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("theme IS NOT NULL AND unit = 'rate'", plan.Sql, StringComparison.Ordinal);  // a theme pairs with rate KPIs
        Assert.Contains("coalesce(s0.kpi_code, s1.kpi_code) AS kpi_code", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_CellKeys_EachCountWithItsSumOfRecordKeys()
    {
        var plan = Plan(Spec(PeriodGrain.FinancialYear, "audits", "grade_score_sum"), cellKeys: true);

        Assert.Contains("CAST(coalesce((sum(record_key)) % 4294967296, 0) AS DOUBLE) AS ck_audits", plan.Sql, StringComparison.Ordinal);
        Assert.Contains("CAST(0 AS DOUBLE) AS ck_grade_score_sum", plan.Sql, StringComparison.Ordinal);  // a sum is not a count: no cell key
        Assert.Contains("coalesce(ck_audits, 0) AS ck_audits", plan.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SameSpec_SameSqlAndParameters()
    {
        var spec = Spec(PeriodGrain.Month, "return_rate") with { Compare = ["return_rate"] };
        var (first, second) = (Plan(spec), Plan(spec));
        Assert.Equal(first.Sql, second.Sql);
        Assert.Equal(first.Parameters, second.Parameters);
    }
}
