using QaAnalytics.Models.Audits;
using QaAnalytics.Service.Sql;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// The semantic model: every figure the service publishes is defined here once — the counts in
/// SQL on their source, the shares and means worked out from the counts after suppression, and the
/// groups of counts that add up (which drive secondary suppression). Every RPC and the generic
/// Query compute from these definitions, so a figure is the same wherever it appears.
/// </summary>
public static class QaModel
{
    public static readonly string[] GradeNames = ["outstanding", "good", "requires_improvement", "inadequate"];

    public static IReadOnlyDictionary<string, Dimension> Dimensions { get; } = new Dimension[]
    {
        new("audit_type", "case, collaborative, thematic or re-audit", []),
        new("auditor_id", "The manager who graded the audit", []),
        new("theme", "Focus 5 theme: Chronology, Assessment, Plan, Visiting, Supervision, with the rate KPI paired with it and its target", [new("kpi_code"), new("target", Numeric: true)]),
        new("kpi_code", "A KPI of the catalogue, with its name, unit, polarity and target", [new("kpi_name", OneValuePerKey: true), new("unit", OneValuePerKey: true), new("polarity", OneValuePerKey: true), new("target", Numeric: true, OneValuePerKey: true)])
        {
            Table = "dim_kpi",
        },
        new("record_type", "complaint, compliment or mp_enquiry", []),
        new("stage", "Complaint stage: 1, 2, 3 or LGSCO", []),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, Source> Sources { get; } = new Source[]
    {
        new("audit", "(" + SqlText.Get("source_audit.sql") + ")", "month_start",
            Bind(("audit_type", "audit_type"), ("auditor_id", "auditor_id")),
            "Completed audits, in the month of the audit"),
        new("audit_theme", "(" + SqlText.Get("source_audit_theme.sql") + ")", "month_start",
            Bind(("audit_type", "audit_type"), ("theme", "theme")),
            "Focus 5 theme grades given in audits, in the month of the audit"),
        new("audit_request", "v_audit_request", "sent_date", Bind(),
            "Audit requests sent to managers, in the month sent"),
        new("kpi", "v_kpi", "period",
            new Dictionary<string, DimensionBinding>(StringComparer.Ordinal)
            {
                ["kpi_code"] = new("kpi_code"),
                ["theme"] = new("theme", "theme IS NOT NULL AND unit = 'rate'"),  // a theme pairs with rate KPIs
            },
            "Monthly KPI figures per team"),
        new("complaint", "(" + SqlText.Get("source_complaint.sql") + ")", "received_date",
            Bind(("record_type", "record_type"), ("stage", "stage")),
            "Complaints, compliments and MP enquiries, in the month received")
        {
            BelowCouncil = "team_id IS NOT NULL",
        },
        new("inadequate_follow_up", "(" + SqlText.Get("source_inadequate_follow_up.sql") + ")", "month_start", Bind(),
            "Inadequate audits (not re-audits themselves) and their first re-audit, in the month of the Inadequate audit"),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, BaseMeasure> Counts { get; } = DeclareCounts().ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, DerivedMeasure> Derived { get; } = DeclareDerived().ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>In order: a partition whose total is a member of an earlier one is nested in it.</summary>
    public static IReadOnlyList<Partition> Partitions { get; } =
    [
        new("audits", GradeNames.Select(g => "effective_" + g).ToArray(), WithRemainder: false),
        new("audits", GradeNames.Select(g => "original_" + g).ToArray(), WithRemainder: false),
        new("audits", ["moderated"], WithRemainder: true),
        new("moderated", ["agreed", "upgrades", "downgrades"], WithRemainder: false),
        new("theme_grades", ["theme_good_or_better"], WithRemainder: true),
        new("sent", ["returned"], WithRemainder: true),
        new("sent", ["with_due_date"], WithRemainder: true),
        new("with_due_date", ["returned_by_due"], WithRemainder: true),
        new("kpi_denominator", ["kpi_numerator"], WithRemainder: true),
        new("complaints", ["stage_1", "stage_2", "stage_3", "stage_lgsco"], WithRemainder: false),
        new("stage_1", ["stage_1_responded"], WithRemainder: true),
        new("stage_1_responded", ["stage_1_on_time"], WithRemainder: true),
        new("stage_2", ["stage_2_responded"], WithRemainder: true),
        new("stage_2_responded", ["stage_2_on_time"], WithRemainder: true),
        new("inadequate_audits", ["reaudited_within_6_weeks", "reaudited_later", "not_reaudited"], WithRemainder: false),
        new("reaudited_within_6_weeks", GradeNames.Select(g => "reaudit_" + g).ToArray(), WithRemainder: false),
    ];

    /// <summary>
    /// Sums of scores over audits: a mean of one beside perturbed counts would give the exact count
    /// back, so outside the council these are withheld (means come from the perturbed counts instead).
    /// </summary>
    public static IReadOnlySet<string> SumsOfPeople { get; } = new HashSet<string>(["grade_score_sum", "theme_score_sum"], StringComparer.Ordinal);

    /// <summary>Counts that are not about people (team-months of KPI returns): never withheld.</summary>
    public static IReadOnlySet<string> NotDisclosive { get; } = new HashSet<string>(["kpi_months"], StringComparer.Ordinal);

    /// <summary>A published measure by name: a count or a derived figure.</summary>
    public static bool TryFind(string name, out string unit, out string description)
    {
        if (Counts.TryGetValue(name, out var count) && count.Published)
        {
            (unit, description) = (count.Unit, count.Description);
            return true;
        }
        if (Derived.TryGetValue(name, out var derived))
        {
            (unit, description) = (derived.Unit, derived.Description);
            return true;
        }
        (unit, description) = ("", "");
        return false;
    }

    /// <summary>The sources a measure is counted on.</summary>
    public static IEnumerable<string> SourcesOf(string measure) =>
        Counts.TryGetValue(measure, out var count) ? [count.Source] : Derived[measure].Inputs.SelectMany(SourcesOf).Distinct();

    private static IEnumerable<BaseMeasure> DeclareCounts()
    {
        yield return new("audits", "audit", "count(*)", "Completed audits (Practice Learning Reviews)");
        for (var g = 1; g <= 4; g++)
        {
            yield return new($"effective_{GradeNames[g - 1]}", "audit", $"count(*) FILTER (WHERE effective_grade = {g})",
                $"Audits whose effective grade (moderated where moderated) is {Title(GradeNames[g - 1])}");
            yield return new($"original_{GradeNames[g - 1]}", "audit", $"count(*) FILTER (WHERE overall_grade = {g})",
                $"Audits the auditor graded {Title(GradeNames[g - 1])}, before moderation");
        }
        yield return new("grade_score_sum", "audit", "sum(effective_score)", "Sum of effective grade scores (4 = Outstanding … 1 = Inadequate)", "sum") { Published = false };
        yield return new("moderated", "audit", "count(*) FILTER (WHERE is_moderated)", "Audits moderated by the QA service");
        yield return new("agreed", "audit", "count(*) FILTER (WHERE is_moderated AND grade_change = 0)", "Moderated audits whose grade the moderator left unchanged");
        yield return new("upgrades", "audit", "count(*) FILTER (WHERE is_moderated AND grade_change > 0)", "Moderated audits the moderator graded higher");
        yield return new("downgrades", "audit", "count(*) FILTER (WHERE is_moderated AND grade_change < 0)", "Moderated audits the moderator graded lower");

        yield return new("theme_grades", "audit_theme", "count(*)", "Focus 5 theme grades given");
        yield return new("theme_good_or_better", "audit_theme", "count(*) FILTER (WHERE grade <= 2)", "Theme grades Good or Outstanding");
        yield return new("theme_score_sum", "audit_theme", "sum(score)", "Sum of theme grade scores", "sum") { Published = false };

        yield return new("sent", "audit_request", "count(*)", "Audit requests sent to managers");
        yield return new("returned", "audit_request", "count(*) FILTER (WHERE is_returned)", "Audit requests returned");
        yield return new("with_due_date", "audit_request", "count(due_date)", "Audit requests with a due date");
        yield return new("returned_by_due", "audit_request", "count(*) FILTER (WHERE returned_by_due)", "Audit requests returned by their due date");

        yield return new("kpi_months", "kpi", "count(*)", "Monthly team figures behind a KPI value (n)");
        yield return new("kpi_numerator", "kpi", "CAST(sum(numerator) FILTER (WHERE unit = 'rate') AS BIGINT)", "Rate KPIs: cases meeting the standard") { ZeroWhenMissing = false };
        yield return new("kpi_denominator", "kpi", "CAST(sum(denominator) FILTER (WHERE unit = 'rate') AS BIGINT)", "Rate KPIs: cases due") { ZeroWhenMissing = false };
        yield return new("kpi_value_sum", "kpi", "sum(value) FILTER (WHERE unit <> 'rate')", "Single-figure KPIs: sum of monthly team values", "sum") { Published = false, ZeroWhenMissing = false };

        yield return new("complaints", "complaint", "count(*) FILTER (WHERE record_type = 'complaint')", "Complaints received (all stages)", Polarity: "lower_is_better");
        foreach (var (stage, code) in new[] { ("1", "stage_1"), ("2", "stage_2"), ("3", "stage_3"), ("LGSCO", "stage_lgsco") })
        {
            yield return new(code, "complaint", $"count(*) FILTER (WHERE record_type = 'complaint' AND stage = '{stage}')", $"Complaints at stage {stage}", Polarity: "lower_is_better");
        }
        yield return new("compliments", "complaint", "count(*) FILTER (WHERE record_type = 'compliment')", "Compliments received", Polarity: "higher_is_better");
        yield return new("mp_enquiries", "complaint", "count(*) FILTER (WHERE record_type = 'mp_enquiry')", "MP enquiries received");
        foreach (var stage in new[] { 1, 2 })
        {
            yield return new($"stage_{stage}_responded", "complaint", $"count(responded_date) FILTER (WHERE record_type = 'complaint' AND stage = '{stage}')", $"Stage {stage} complaints responded to");
            yield return new($"stage_{stage}_on_time", "complaint", $"count(*) FILTER (WHERE record_type = 'complaint' AND stage = '{stage}' AND responded_on_time)",
                $"Stage {stage} responses within {(stage == 1 ? 10 : 25)} working days");
        }

        yield return new("inadequate_audits", "inadequate_follow_up", "count(*)", "Inadequate audits (not re-audits themselves)");
        yield return new("reaudited_within_6_weeks", "inadequate_follow_up", $"count(*) FILTER (WHERE days_to_reaudit <= {Reaudit.WindowDays})", "Inadequate audits re-audited within 6 weeks (42 days)");
        yield return new("reaudited_later", "inadequate_follow_up", $"count(*) FILTER (WHERE days_to_reaudit > {Reaudit.WindowDays})", "Inadequate audits re-audited after 6 weeks");
        yield return new("not_reaudited", "inadequate_follow_up", "count(*) FILTER (WHERE NOT reaudited)", "Inadequate audits not re-audited (yet)");
        for (var g = 1; g <= 4; g++)
        {
            yield return new($"reaudit_{GradeNames[g - 1]}", "inadequate_follow_up",
                $"count(*) FILTER (WHERE days_to_reaudit <= {Reaudit.WindowDays} AND reaudit_grade = {g})",
                $"Re-audits within 6 weeks graded {Title(GradeNames[g - 1])}");
        }
    }

    private static IEnumerable<DerivedMeasure> DeclareDerived()
    {
        foreach (var kind in new[] { "effective", "original" })
        {
            foreach (var grade in GradeNames)
            {
                var count = $"{kind}_{grade}";
                yield return Share($"{count}_share", $"Share of audits {(kind == "effective" ? "with effective grade" : "graded, before moderation,")} {Title(grade)}", count, "audits",
                    grade is "outstanding" or "good" ? "higher_is_better" : grade == "inadequate" ? "lower_is_better" : "neutral");
            }
        }
        yield return new("effective_good_or_better_share", "Audits whose effective grade (moderated where moderated) is Good or Outstanding", "share", "higher_is_better",
            ["effective_outstanding", "effective_good", "audits"], "audits",
            c =>
            {
                var (outstanding, good, audits) = (c.Shown("effective_outstanding"), c.Shown("effective_good"), c.Shown("audits"));
                return c.PerRow(i => outstanding[i] is { } o && good[i] is { } g && audits[i] is { } a && a > 0 ? (double)(o + g) / a : null);
            })
        { ExactSql = "CASE WHEN audits > 0 THEN (effective_outstanding + effective_good) / audits END" };
        // From the grade counts as shown: beside them, the exact sum over the exact count would solve
        // two withheld (or perturbed) grade counts (found by the attack suite: route 1).
        yield return new("mean_grade_score", "Mean effective grade score (4 = Outstanding … 1 = Inadequate), from the grade counts as shown", "score", "higher_is_better",
            [.. GradeNames.Select(g => "effective_" + g), "grade_score_sum", "audits"], "audits", MeanGradeScore)
        {
            ExactSql = $"CASE WHEN {string.Join(" AND ", GradeNames.Select(g => $"effective_{g} IS NOT NULL"))} THEN {MeanSql("grade_score_sum", "audits")} END",
        };
        yield return Share("moderated_share", "Audits moderated by the QA service", "moderated", "audits", "neutral");
        yield return Share("agreement_rate", "Moderated audits whose grade the moderator left unchanged", "agreed", "moderated", "higher_is_better");
        yield return Share("theme_share_good_or_better", "Theme grades Good or Outstanding, per Focus 5 theme", "theme_good_or_better", "theme_grades", "higher_is_better");
        yield return new("theme_mean_grade_score", "Mean theme grade score (4 = Outstanding … 1 = Inadequate)", "score", "higher_is_better",
            ["theme_score_sum", "theme_grades"], "theme_grades", c => c.Mean("theme_score_sum", "theme_grades"))
        { ExactSql = MeanSql("theme_score_sum", "theme_grades") };
        yield return Share("return_rate", "Audit requests returned by managers", "returned", "sent", "higher_is_better");
        yield return Share("on_time_return_rate", "Audit requests returned by their due date, of those with a due date", "returned_by_due", "with_due_date", "higher_is_better");
        yield return new("kpi_rate", "A rate KPI: 100 × summed numerator / summed denominator (never an average of rates)", "percent", "per KPI (dim_kpi.polarity)",
            ["kpi_numerator", "kpi_denominator"], "kpi_denominator", c => c.Ratio("kpi_numerator", "kpi_denominator", 100))
        { ExactSql = RatioSql("kpi_numerator", "kpi_denominator", 100) };
        yield return new("kpi_value", "A KPI's value: the rate from summed counts for rate KPIs, else the mean of the monthly team values", "per KPI (dim_kpi.unit)", "per KPI (dim_kpi.polarity)",
            ["kpi_numerator", "kpi_denominator", "kpi_value_sum", "kpi_months"], "kpi_denominator",
            c =>
            {
                var (rate, mean) = (c.Ratio("kpi_numerator", "kpi_denominator", 100), c.Mean("kpi_value_sum", "kpi_months"));
                return c.PerRow(i => (string?)c.Attribute("unit", i) == "rate" ? rate[i] : mean[i]);
            })
        { ExactSql = $"CASE WHEN unit = 'rate' THEN {RatioSql("kpi_numerator", "kpi_denominator", 100)} ELSE {MeanSql("kpi_value_sum", "kpi_months")} END" };
        yield return Share("stage_1_on_time_rate", "Stage 1 responses within 10 working days, of responses made", "stage_1_on_time", "stage_1_responded", "higher_is_better");
        yield return Share("stage_2_on_time_rate", "Stage 2 responses within 25 working days, of responses made", "stage_2_on_time", "stage_2_responded", "higher_is_better");
        yield return Share("reaudited_within_6_weeks_share", "Inadequate audits re-audited within 6 weeks (42 days)", "reaudited_within_6_weeks", "inadequate_audits", "higher_is_better");

        static DerivedMeasure Share(string name, string description, string numerator, string denominator, string polarity) =>
            new(name, description, "share", polarity, [numerator, denominator], denominator, c => c.Ratio(numerator, denominator)) { ExactSql = RatioSql(numerator, denominator) };

        // As MeasureColumns.Ratio and Mean compute them from exact counts: (scale × numerator) / denominator, null unless the denominator is over 0.
        static string RatioSql(string numerator, string denominator, int scale = 1) =>
            $"CASE WHEN {denominator} > 0 THEN {(scale == 1 ? "" : $"CAST({scale} AS DOUBLE) * ")}{numerator} / {denominator} END";
        static string MeanSql(string sum, string count) => $"CASE WHEN {count} > 0 THEN {sum} / {count} END";
    }

    /// <summary>
    /// Exact counts: the sum of scores over audits. Perturbed counts: the grade counts' weighted mean.
    /// Null where a grade count is withheld.
    /// </summary>
    private static double?[] MeanGradeScore(MeasureColumns c)
    {
        var counts = GradeNames.Select(g => c.Shown("effective_" + g)).ToArray();
        var exact = c.Perturbed ? null : c.Mean("grade_score_sum", "audits");
        return c.PerRow(i =>
        {
            double n = 0, score = 0;
            for (var g = 0; g < counts.Length; g++)
            {
                if (counts[g][i] is not { } count) return null;
                n += count;
                score += (4.0 - g) * count;
            }
            return exact is not null ? exact[i] : n > 0 ? score / n : null;
        });
    }

    private static Dictionary<string, DimensionBinding> Bind(params (string Dimension, string Column)[] bindings) =>
        bindings.ToDictionary(b => b.Dimension, b => new DimensionBinding(b.Column), StringComparer.Ordinal);

    private static string Title(string grade) => grade switch
    {
        "requires_improvement" => "Requires Improvement",
        _ => char.ToUpperInvariant(grade[0]) + grade[1..],
    };
}
