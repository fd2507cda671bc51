using QaAnalytics.Contracts.V1;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.Service.Privacy;

/// <summary>
/// The closing figures of issue 10 on the generated sample (3 councils × 3 years), each checked:
/// what the council's own directors lose to suppression before (threshold 5, the old default) and
/// after (exact by default), the triangulation divergence flags kept, and how many flags the
/// perturbation changes for an outside caller. Run with a detailed console logger to read them.
/// </summary>
public sealed class DisclosureFiguresTests(SampleServiceFixture fixture, ITestOutputHelper output) : IClassFixture<SampleServiceFixture>
{
    [Fact]
    public async Task WithheldCells_InternalRoles_BeforeAndAfter()
    {
        long gradesBefore = 0, gradesAfter = 0, kpiBefore = 0, kpiAfter = 0, agreementBefore = 0, agreementAfter = 0, rows = 0, kpiRows = 0, auditorRows = 0;
        long flagsBefore = 0, flagsAfter = 0;
        foreach (var la in SampleServiceFixture.Councils)
        {
            var token = TestTokens.For("director", la, subject: "dir-" + la);
            foreach (var (threshold, after) in new[] { (5, false), (0, true) })
            {
                var client = fixture.ClientWithToken(token, threshold);
                var grades = (await ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter }))).Single().Rows;
                var kpis = (await ArrowClient.ReadAsync(client.GetKpiTrend(new KpiTrendRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month }))).Single().Rows;
                var moderation = (await ArrowClient.ReadAsync(client.GetModeration(new ModerationRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialYear, ByAuditor = true }))).Single().Rows;
                var triangulation = (await ArrowClient.ReadAsync(client.GetTriangulation(new TriangulationRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialYear })))[0].Rows;
                var withheldGrades = grades.Count(r => r["effective_good_or_better_share"] is null && (long?)r["audits"] is not 0);
                var withheldKpis = kpis.Count(r => r["value"] is null && r["denominator"] is not 0L);
                var withheldAgreement = moderation.Count(r => r["agreement_rate"] is null && r["moderated"] is not 0L);
                var flags = triangulation.Count(r => r["divergence"] is not null);
                if (after)
                {
                    (gradesAfter, kpiAfter, agreementAfter, flagsAfter) = (gradesAfter + withheldGrades, kpiAfter + withheldKpis, agreementAfter + withheldAgreement, flagsAfter + flags);
                    (rows, kpiRows, auditorRows) = (rows + grades.Count, kpiRows + kpis.Count, auditorRows + moderation.Count);
                    Assert.All(grades, r => Assert.False((bool)r["suppressed"]!));
                }
                else
                {
                    (gradesBefore, kpiBefore, agreementBefore, flagsBefore) = (gradesBefore + withheldGrades, kpiBefore + withheldKpis, agreementBefore + withheldAgreement, flagsBefore + flags);
                }
            }
        }
        output.WriteLine($"directors, GetGradeDistribution team × quarter: headline share withheld in {gradesBefore} of {rows} rows before, {gradesAfter} after");
        output.WriteLine($"directors, GetKpiTrend team × month: value withheld in {kpiBefore} of {kpiRows} rows before, {kpiAfter} after");
        output.WriteLine($"directors, GetModeration by auditor × year: agreement_rate withheld in {agreementBefore} of {auditorRows} rows before, {agreementAfter} after");
        output.WriteLine($"directors, GetTriangulation team × year: {flagsBefore} divergence flags before, {flagsAfter} after");

        Assert.True(gradesBefore > 0 && kpiBefore > 0 && agreementBefore > 0, "the sample has small cells, so suppression withheld some before");
        Assert.Equal(0, gradesAfter + agreementAfter);
        Assert.True(flagsAfter > flagsBefore, $"{flagsAfter} flags after, {flagsBefore} before");
    }

    [Fact]
    public async Task DivergenceFlags_OutsideCaller_DifferFromTheExactOnesInFewCells()
    {
        var request = new TriangulationRequest { Grain = TimeGrain.FinancialQuarter, MinAudits = 1 };
        var outside = (await ArrowClient.ReadAsync(fixture.Partner().GetTriangulation(request)))[0].Rows;
        var exact = new List<Dictionary<string, object?>>();
        foreach (var la in SampleServiceFixture.Councils)
        {
            exact.AddRange((await ArrowClient.ReadAsync(fixture.Director(la).GetTriangulation(new TriangulationRequest { Grain = TimeGrain.FinancialQuarter, MinAudits = 1, GroupBy = OrgLevel.Council })))[0].Rows);
        }
        static string Key(Dictionary<string, object?> r) => $"{r["la_code"]}|{r["period"]}|{r["theme"]}";
        var truth = exact.ToDictionary(Key, r => (string?)r["divergence"]);
        var differ = outside.Count(r => truth[Key(r)] != (string?)r["divergence"]);
        var flagged = truth.Values.Count(v => v is not null);

        output.WriteLine($"outside caller, GetTriangulation council × quarter × theme: {differ} of {outside.Count} rows' divergence flag differs from the exact one ({flagged} flagged on exact figures)");
        Assert.Equal(exact.Count, outside.Count);
        Assert.True(differ <= outside.Count / 10, $"{differ} of {outside.Count} flags differ");
    }
}
