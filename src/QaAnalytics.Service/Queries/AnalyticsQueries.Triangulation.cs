using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>Divergence flag values in the triangulation table.</summary>
    public const string CompliantNotGood = "compliant_not_good";
    public const string GoodNotCompliant = "good_not_compliant";

    private static readonly IReadOnlyList<MeasureColumn> TriangulationColumns =
    [
        new("audits", "theme_grades"), new("good_or_better", "theme_good_or_better"),
        new("kpi_denominator", "kpi_denominator"), new("kpi_numerator", "kpi_numerator"),
        new("complaints", "complaints"), new("stage1_responded", "stage_1_responded"), new("stage1_on_time", "stage_1_on_time"),
        new("share_good_or_better", "theme_share_good_or_better"), new("mean_grade_score", "theme_mean_grade_score"),
        new("kpi_rate", "kpi_rate"), new("stage1_on_time_share", "stage_1_on_time_rate"),
    ];

    /// <summary>What GetTriangulation computes, as a semantic query (public for the benchmark's same-SQL baseline).</summary>
    public static SemanticSpec TriangulationSpec(TriangulationRequest request) =>
        Spec(TriangulationColumns, request.GroupBy == OrgLevel.Unspecified ? OrgLevel.Team : request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Dimensions = ["theme"], Repeated = new HashSet<string> { "complaint" },
            Compare = ["share_good_or_better", "kpi_rate"],
        };

    public async Task<IReadOnlyList<TableResult>> TriangulationAsync(TriangulationRequest request, Caller caller, CancellationToken ct)
    {
        var thresholds = Thresholds.From(request);
        var spec = TriangulationSpec(request);
        // Team level unless asked otherwise, or the finest level the caller may see (council for a regional partner).
        using var call = Begin(caller, Asked(spec, OrgLevel.Team) with { GroupBy = request.GroupBy });
        spec = Applied(spec, call.Access);
        using var query = NewQuery(spec);
        ct.ThrowIfCancellationRequested();
        await query.RunAsync(call.Connection, call.Policy, ct);
        var (audits, share, rate, target) = (query.Number("audits"), query.Number("share_good_or_better"), query.Number("kpi_rate"), query.NumericAttribute("target"));
        var extra = new ExtraColumn[]
        {
            new("divergence", ExtraType.String, row => Divergence((long?)audits(row), share(row), rate(row), target(row), thresholds)),
        };
        var notes = call.Policy.Notes(
            "audits = theme grades given; share_good_or_better = Good or Outstanding theme grades / audits; kpi_rate = 100 × kpi_numerator / kpi_denominator over the period; complaints and stage 1 timeliness are the unit's, repeated on each theme row.",
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"divergence: {CompliantNotGood} = KPI rate at or above {(thresholds.ComplianceHigh is { } h ? $"{h}%" : "the KPI's target")} while share Good or better is below {thresholds.QualityLow * 100:0.#}%; {GoodNotCompliant} = KPI rate below {thresholds.ComplianceLow}% while share is at least {thresholds.QualityHigh * 100:0.#}%; only with at least {thresholds.MinAudits} theme grades and neither figure withheld."),
            ComparisonNote(spec));
        IReadOnlyList<TableResult> tables =
        [
            new("triangulation", call.Snapshot, query.ToArrow(extra, notes)) { Access = call.Access.ToString() },
            new("theme_correlation", call.Snapshot, CorrelationTable(query)),
        ];
        return tables;
    }

    internal sealed record Thresholds(double? ComplianceHigh, double ComplianceLow, double QualityLow, double QualityHigh, int MinAudits)
    {
        public static Thresholds From(TriangulationRequest r)
        {
            Check(r.ComplianceHighPercent, 100, "compliance_high_percent");
            Check(r.ComplianceLowPercent, 100, "compliance_low_percent");
            Check(r.QualityLowShare, 1, "quality_low_share");
            Check(r.QualityHighShare, 1, "quality_high_share");
            if (r.MinAudits < 0) throw new BadArgumentException("min_audits", "must be 0 or more");
            return new Thresholds(
                r.ComplianceHighPercent > 0 ? r.ComplianceHighPercent : null,
                r.ComplianceLowPercent > 0 ? r.ComplianceLowPercent : 70,
                r.QualityLowShare > 0 ? r.QualityLowShare : 0.30,
                r.QualityHighShare > 0 ? r.QualityHighShare : 0.60,
                r.MinAudits > 0 ? r.MinAudits : 6);

            static void Check(double value, double max, string field)
            {
                if (double.IsNaN(value) || value < 0 || value > max) throw new BadArgumentException(field, $"must be between 0 and {max}");
            }
        }
    }

    /// <summary>High compliance with low quality (or the reverse), only where enough theme grades stand behind it and neither figure is withheld.</summary>
    internal static string? Divergence(long? audits, double? share, double? rate, double? target, Thresholds t)
    {
        if (audits is not { } n || n < t.MinAudits || share is not { } s || rate is not { } r) return null;
        var high = t.ComplianceHigh ?? target ?? 90;
        if (r >= high && s < t.QualityLow) return CompliantNotGood;
        if (r < t.ComplianceLow && s >= t.QualityHigh) return GoodNotCompliant;
        return null;
    }

    /// <summary>
    /// Spearman rank correlation across organisation units, per theme and period, between the share
    /// Good or better and the paired KPI rate (ties take their average rank). Needs at least 5 units.
    /// </summary>
    private static ArrowResult CorrelationTable(SemanticQuery query)
    {
        var table = new ArrowTable().Strings(["period", "theme"]).Longs(["units"]).Doubles(["spearman_rho"]);
        // Column by column, in row order (a group's units keep it, so the sums come out as before).
        var groups = new Dictionary<(string Period, string Theme), (List<double> Share, List<double> Rate)>();
        foreach (var block in query.Blocks)
        {
            var (themes, periods) = (query.KeyColumn(block, "theme"), query.KeyColumn(block, "period"));
            var (good, grades) = (query.RawColumn(block, "theme_good_or_better"), query.RawColumn(block, "theme_grades"));
            var (numerator, denominator) = (query.RawColumn(block, "kpi_numerator"), query.RawColumn(block, "kpi_denominator"));
            for (var i = 0; i < block.Length; i++)
            {
                if (!block.Kept(i)
                    || themes[i] is not { } theme
                    || RawShare(good[i], grades[i], 1) is not { } share
                    || RawShare(numerator[i], denominator[i], 100) is not { } rate) continue;
                var key = (periods[i]!, theme);
                if (!groups.TryGetValue(key, out var units)) groups[key] = units = ([], []);
                units.Share.Add(share);
                units.Rate.Add(rate);
            }
        }
        foreach (var ((period, theme), (share, rate)) in groups
                     .OrderBy(g => g.Key.Period, StringComparer.Ordinal).ThenBy(g => g.Key.Theme, StringComparer.Ordinal))
        {
            table.Add(new Dictionary<string, object?>
            {
                ["period"] = period, ["theme"] = theme, ["units"] = (long)share.Count,
                ["spearman_rho"] = share.Count >= 5 ? Spearman([.. share], [.. rate]) : null,
            });
        }
        return table.ToResult(
            ["spearman_rho: rank correlation across the units in the result between share Good or better and the paired KPI rate (from the counts before suppression: a statistic over at least 5 units discloses no unit); null with fewer than 5 units or no variation."]);

        static double? RawShare(double? count, double? of, double scale) => count is { } c && of is { } d && d > 0 ? scale * c / d : null;
    }

    internal static double? Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        var mx = rx.Average();
        var my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] values)
    {
        // Sorted by value (ties in any order: each takes their average rank).
        var (sorted, order) = (values.ToArray(), Enumerable.Range(0, values.Length).ToArray());
        Array.Sort(sorted, order);
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[start]) end++;
            var average = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }
}
