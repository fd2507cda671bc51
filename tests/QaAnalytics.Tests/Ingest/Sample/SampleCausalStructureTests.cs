using System.Globalization;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Kpis;
using static QaAnalytics.Tests.Ingest.Sample.SampleGeneratorTests;

namespace QaAnalytics.Tests.Ingest.Sample;

/// <summary>
/// The signal a risk model and triangulation should find is really there: first in the truth, then
/// through the extracts themselves.
/// </summary>
public sealed class SampleCausalStructureTests(SampleDataFixture data) : IClassFixture<SampleDataFixture>
{
    private sealed record TeamQuarter(string Team, string Quarter, double Pressure, double Quality, bool ProcessDriven, bool Decline);

    private List<List<TeamQuarter>> TruthByTeam()
    {
        var truth = data.Clean(SampleFiles.TeamQuarters);
        return truth.Rows
            .Select(r => new TeamQuarter(
                truth.Get(r, "team_id"), truth.Get(r, "financial_quarter"),
                double.Parse(truth.Get(r, "pressure"), CultureInfo.InvariantCulture),
                double.Parse(truth.Get(r, "quality"), CultureInfo.InvariantCulture),
                truth.Get(r, "process_driven") == "Y", truth.Get(r, "quality_decline_next_quarter") == "Y"))
            .GroupBy(t => t.Team)
            .Select(g => g.ToList())
            .ToList();
    }

    [Fact]
    public void Truth_CoversEveryTeamAndQuarter()
    {
        var teams = data.Clean(SampleFiles.Teams).Rows.Count;
        var truth = TruthByTeam();
        Assert.Equal(teams, truth.Count);
        Assert.All(truth, t => Assert.Equal(data.CleanOptions.Years * 4, t.Count));
        Assert.Equal("2024/25 Q1", truth[0][0].Quarter);
        Assert.Equal("2025/26 Q4", truth[0][^1].Quarter);
    }

    [Fact]
    public void Truth_PressureLeadsQualityDown()
    {
        var pressureNow = new List<double>();
        var qualityNext = new List<double>();
        var pressureNext = new List<double>();
        var qualityNow = new List<double>();
        var pressureRise = new List<double>();
        var qualityChange = new List<double>();
        foreach (var team in TruthByTeam())
        {
            for (var t = 1; t < team.Count - 1; t++)
            {
                pressureNow.Add(team[t].Pressure);
                qualityNext.Add(team[t + 1].Quality);
                pressureNext.Add(team[t + 1].Pressure);
                qualityNow.Add(team[t].Quality);
                pressureRise.Add(team[t].Pressure - team[t - 1].Pressure);
                qualityChange.Add(team[t + 1].Quality - team[t].Quality);
            }
        }
        var lead = Correlation(pressureNow, qualityNext);
        Assert.True(lead < -0.3, $"corr(p_t, q_t+1) = {lead:0.000}");
        Assert.True(Correlation(pressureRise, qualityChange) < -0.3, "a rise in pressure should be followed by a fall in quality");
        // Pressure comes first: it predicts later quality better than quality predicts later pressure.
        Assert.True(lead < Correlation(qualityNow, pressureNext) - 0.1);
    }

    [Fact]
    public void Truth_DeclineLabelMatchesQualityChangeAndIsNotRare()
    {
        var labels = 0;
        var total = 0;
        foreach (var team in TruthByTeam())
        {
            for (var t = 0; t < team.Count - 1; t++)
            {
                var change = team[t + 1].Quality - team[t].Quality;
                // Quality is rounded to 3 dp in the file; allow for that at the threshold.
                if (Math.Abs(change + 0.25) > 0.002) Assert.Equal(change <= -0.25, team[t].Decline);
            }
            labels += team.Count(q => q.Decline);
            total += team.Count;
        }
        Assert.InRange(labels / (double)total, 0.05, 0.30);
    }

    [Fact]
    public void Truth_ProcessDrivenTeamsKeepHighComplianceWhileQualityFalls()
    {
        var truth = TruthByTeam();
        var processDriven = truth.Where(t => t[0].ProcessDriven).ToList();
        Assert.InRange(processDriven.Count / (double)truth.Count, 0.05, 0.25);
        Assert.All(truth, t => Assert.All(t, q => Assert.Equal(t[0].ProcessDriven, q.ProcessDriven)));

        // Quality falls in process-driven teams relative to the rest (which share the council's trend and pressure).
        static double Change(List<TeamQuarter> t) => t.Skip(t.Count / 2).Average(q => q.Quality) - t.Take(t.Count / 2).Average(q => q.Quality);
        var fall = processDriven.Average(Change) - truth.Where(t => !t[0].ProcessDriven).Average(Change);
        Assert.True(fall < -0.25, $"process-driven quality change relative to other teams {fall:0.000}");

        var compliance = ComplianceByTeam();
        var pdTeams = processDriven.Select(t => t[0].Team).ToHashSet();
        Assert.All(pdTeams, team => Assert.True(compliance[team] >= 0.90, $"{team}: {compliance[team]:P1}"));
        Assert.True(compliance.Where(kv => !pdTeams.Contains(kv.Key)).Average(kv => kv.Value) < 0.88);
    }

    [Fact]
    public void Extracts_CaseloadThisQuarterPredictsLowerAuditScoresNextQuarter()
    {
        var kpis = data.Clean(SampleFiles.Kpis);
        var caseload = kpis.Rows.Where(r => kpis.Get(r, "kpi_code") == KpiCatalogue.Caseload)
            .GroupBy(r => (Team: kpis.Get(r, "team_id"), Quarter: QuarterOfPeriod(kpis.Get(r, "period"))))
            .ToDictionary(g => g.Key, g => g.Average(r => double.Parse(kpis.Get(r, "value"), CultureInfo.InvariantCulture)));
        var scores = AuditScores(a => a.Overall);

        // Within each team (caseloads differ by service area for reasons unrelated to quality).
        var x = new List<double>();
        var y = new List<double>();
        foreach (var team in caseload.Keys.Select(k => k.Team).Distinct())
        {
            var pairs = caseload
                .Where(kv => kv.Key.Team == team && kv.Key.Quarter + 1 < data.CleanOptions.Years * 4
                    && scores.TryGetValue((team, kv.Key.Quarter + 1), out var next) && next.Count >= 3)
                .Select(kv => (Load: kv.Value, Score: scores[(team, kv.Key.Quarter + 1)].Average()))
                .ToList();
            if (pairs.Count < 3) continue;
            var meanLoad = pairs.Average(p => p.Load);
            var meanScore = pairs.Average(p => p.Score);
            x.AddRange(pairs.Select(p => p.Load - meanLoad));
            y.AddRange(pairs.Select(p => p.Score - meanScore));
        }
        var r = Correlation(x, y);
        Assert.True(r < -0.1, $"corr(caseload_t, audit score_t+1) within teams = {r:0.000}");
    }

    [Fact]
    public void Extracts_ThemeGradesTrackTheirPairedKpiExceptInProcessDrivenTeams()
    {
        var processDriven = TruthByTeam().Where(t => t[0].ProcessDriven).Select(t => t[0].Team).ToHashSet();
        var kpis = data.Clean(SampleFiles.Kpis);
        foreach (var theme in new[] { Theme.Supervision, Theme.Visiting })
        {
            var code = KpiCatalogue.PairedWith(theme).Code;
            var rate = kpis.Rows.Where(r => kpis.Get(r, "kpi_code") == code)
                .GroupBy(r => (Team: kpis.Get(r, "team_id"), Quarter: QuarterOfPeriod(kpis.Get(r, "period"))))
                .ToDictionary(g => g.Key, g =>
                    g.Sum(r => double.Parse(kpis.Get(r, "numerator"), CultureInfo.InvariantCulture))
                    / Math.Max(1, g.Sum(r => double.Parse(kpis.Get(r, "denominator"), CultureInfo.InvariantCulture))));
            var scores = AuditScores(a => a.Themes[(int)theme]);

            var x = new List<double>();
            var y = new List<double>();
            foreach (var (key, value) in rate)
            {
                if (processDriven.Contains(key.Team) || !scores.TryGetValue(key, out var s) || s.Count < 3) continue;
                x.Add(value);
                y.Add(s.Average());
            }
            var r = Correlation(x, y);
            Assert.True(r is > 0.2 and < 0.9, $"{theme}: corr = {r:0.000}");
        }
    }

    [Fact]
    public void Extracts_ProcessDrivenTeamsShowFallingGradesBehindHighCompliance()
    {
        var processDriven = TruthByTeam().Where(t => t[0].ProcessDriven).Select(t => t[0].Team).ToHashSet();
        var scores = AuditScores(a => a.Overall);
        var half = data.CleanOptions.Years * 2;
        double Change(bool pd)
        {
            var teams = scores.Where(kv => processDriven.Contains(kv.Key.Team) == pd).ToList();
            return teams.Where(kv => kv.Key.Quarter >= half).SelectMany(kv => kv.Value).Average()
                - teams.Where(kv => kv.Key.Quarter < half).SelectMany(kv => kv.Value).Average();
        }
        var processDrivenChange = Change(true);
        var othersChange = Change(false);
        Assert.True(processDrivenChange < othersChange - 0.1,
            $"audit score change, first half to second: process-driven {processDrivenChange:0.00}, others {othersChange:0.00}");
    }

    private sealed record AuditGrades(Grade? Overall, Grade?[] Themes);

    /// <summary>Audit scores (4 = Outstanding) per team and quarter index, using the moderated grade where there is one.</summary>
    private Dictionary<(string Team, int Quarter), List<double>> AuditScores(Func<AuditGrades, Grade?> pick)
    {
        var audits = data.Clean(SampleFiles.Audits);
        var result = new Dictionary<(string Team, int Quarter), List<double>>();
        foreach (var row in audits.Rows)
        {
            var moderated = audits.Get(row, "moderated_grade");
            var overall = ParseGrade(moderated.Length > 0 ? moderated : audits.Get(row, "overall_grade"));
            var themes = ThemeExtensions.All
                .Select(t => audits.Get(row, t.GradeColumn()) is { Length: > 0 } v ? ParseGrade(v) : (Grade?)null)
                .ToArray();
            if (pick(new AuditGrades(overall, themes)) is not { } grade) continue;
            var key = (audits.Get(row, "team_id"), QuarterIndex(Iso(audits.Get(row, "audit_date"))));
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            list.Add(grade.Score());
        }
        return result;
    }

    /// <summary>Numerator over denominator across every rate KPI a team reported.</summary>
    private Dictionary<string, double> ComplianceByTeam()
    {
        var kpis = data.Clean(SampleFiles.Kpis);
        return kpis.Rows.Where(r => kpis.Get(r, "numerator").Length > 0)
            .GroupBy(r => kpis.Get(r, "team_id"))
            .ToDictionary(g => g.Key, g =>
                g.Sum(r => double.Parse(kpis.Get(r, "numerator"), CultureInfo.InvariantCulture))
                / g.Sum(r => double.Parse(kpis.Get(r, "denominator"), CultureInfo.InvariantCulture)));
    }

    private int QuarterIndex(DateOnly date)
    {
        var first = data.CleanOptions.FirstDate;
        return ((date.Year - first.Year) * 12 + date.Month - first.Month) / 3;
    }

    private int QuarterOfPeriod(string period) =>
        QuarterIndex(DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));

    internal static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
