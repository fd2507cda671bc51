using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetTriangulation's theme_correlation table, on the generated sample, against a rank correlation
/// worked out here from the triangulation table the same call returns: per period and theme, over
/// the units whose share Good or better and KPI rate can both be worked out from the published
/// counts, Spearman's rho with ties at their average rank (counted naively, pair by pair).
/// </summary>
public sealed class TriangulationCorrelationTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    [Theory]
    [InlineData("director", OrgLevel.Team)]        // exact counts: the figures behind each unit are its published ones
    [InlineData("director", OrgLevel.ServiceArea)]
    [InlineData("partner", OrgLevel.Council)]      // perturbed counts: the units are those published
    public async Task ThemeCorrelation_AsWorkedOutFromTheTriangulationRows(string audience, OrgLevel groupBy)
    {
        var client = audience == "director" ? fixture.Director(SampleServiceFixture.Councils[0]) : fixture.Partner();
        var tables = await ArrowClient.ReadAsync(client.GetTriangulation(new TriangulationRequest { GroupBy = groupBy, Grain = TimeGrain.FinancialQuarter }));
        var units = tables.Single(t => t.Metadata.Table == "triangulation").Rows;
        var correlation = tables.Single(t => t.Metadata.Table == "theme_correlation").Rows;

        var expected = units
            .Where(r => r["theme"] is string && r["audits"] is long and > 0 && r["good_or_better"] is long && r["kpi_denominator"] is long and > 0 && r["kpi_numerator"] is long)
            .GroupBy(r => ((string)r["period"]!, (string)r["theme"]!))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g =>
            {
                var share = g.Select(r => (double)(long)r["good_or_better"]! / (long)r["audits"]!).ToArray();
                var rate = g.Select(r => 100.0 * (long)r["kpi_numerator"]! / (long)r["kpi_denominator"]!).ToArray();
                return (g.Key.Item1, g.Key.Item2, (long)share.Length, share.Length >= 5 ? Rho(share, rate) : null);
            })
            .ToList();

        Assert.Equal(expected.Select(e => (e.Item1, e.Item2, e.Item3)), correlation.Select(r => ((string)r["period"]!, (string)r["theme"]!, (long)r["units"]!)));
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Item4 is { } rho) Assert.Equal(rho, (double)correlation[i]["spearman_rho"]!, 9);
            else Assert.Null(correlation[i]["spearman_rho"]);
        }
        if (audience == "director") Assert.Contains(correlation, r => r["spearman_rho"] is double);  // the check reached some coefficients
    }

    /// <summary>Pearson's r of the average ranks; null with no variation.</summary>
    private static double? Rho(double[] x, double[] y)
    {
        var (rx, ry) = (Ranks(x), Ranks(y));
        var (mx, my) = (rx.Average(), ry.Average());
        var sxy = rx.Zip(ry, (a, b) => (a - mx) * (b - my)).Sum();
        var (sxx, syy) = (rx.Sum(a => (a - mx) * (a - mx)), ry.Sum(b => (b - my) * (b - my)));
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);

        // 1 + the values below it + half the others equal to it.
        static double[] Ranks(double[] v) => v.Select(a => 1 + v.Count(b => b < a) + (v.Count(b => b == a) - 1) / 2.0).ToArray();
    }
}
