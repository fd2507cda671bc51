using System.Globalization;
using System.Net;
using System.Text;

namespace QaAnalytics.Service.Reports;

/// <summary>
/// The pack as one HTML document, one <c>section</c> per printed page (CSS page breaks), so the
/// HTML and Chromium's PDF of it hold the same content.
/// </summary>
public static class EvidencePackHtml
{
    /// <summary>The section headings, in order: one printed page each.</summary>
    public static readonly string[] Sections =
    [
        "Grade mix by quarter",
        "Practice learning reviews sent and returned",
        "Inadequate audits followed up within 6 weeks",
        "Moderation agreement",
        "Complaints responded to within statutory working days",
        "Triangulation findings",
        "Risk flags",
        "Method",
    ];

    /// <summary>The file name both files share: evidence-pack-938-2024-25.</summary>
    public static string FileStem(EvidencePack pack) => $"evidence-pack-{Safe(pack.Council)}-{pack.Year.Replace('/', '-')}";

    /// <summary>Writes the HTML into <paramref name="folder"/>, then Chromium's PDF of it; returns both paths.</summary>
    public static async Task<(string Html, string Pdf)> WriteAsync(EvidencePack pack, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var html = Path.Combine(folder, FileStem(pack) + ".html");
        var pdf = Path.ChangeExtension(html, ".pdf");
        await File.WriteAllTextAsync(html, Render(pack), Encoding.UTF8, ct);
        await ChromiumPdf.PrintAsync(html, pdf, ct);
        return (html, pdf);
    }

    private static string Safe(string text) => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    public static string Render(EvidencePack pack)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <title>Self-evaluation evidence pack: council {{E(pack.Council)}}, {{E(pack.Year)}}</title>
            <style>
              @page { size: A4; margin: 14mm; }
              body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
              section { break-after: page; page-break-after: always; padding: 0 2mm; }
              section:last-of-type { break-after: auto; page-break-after: auto; }
              header.pack { font-size: 8.5pt; color: #444; border-bottom: 1px solid #999; margin-bottom: 4mm; padding-bottom: 1mm; }
              h1 { font-size: 15pt; margin: 2mm 0 3mm; }
              table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
              th, td { border: 1px solid #aaa; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
              th { background: #eef1f5; }
              td.n { text-align: right; white-space: nowrap; }
              th.short { white-space: nowrap; }
              p.note { font-size: 8.5pt; color: #333; margin: 1mm 0; }
              .banner { border: 2px solid #8a5a00; background: #fff6e0; padding: 2mm 3mm; margin-bottom: 3mm; }
              @media screen { section { max-width: 190mm; margin: 0 auto 10mm; border-bottom: 3px double #ccc; } }
            </style>
            </head>
            <body>

            """);
        Section(html, pack, 0, GradeMix(pack));
        Section(html, pack, 1, Requests(pack));
        Section(html, pack, 2, FollowUp(pack));
        Section(html, pack, 3, Moderation(pack));
        Section(html, pack, 4, Complaints(pack));
        Section(html, pack, 5, Triangulation(pack));
        Section(html, pack, 6, RiskFlags(pack));
        Section(html, pack, 7, Method(pack));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, EvidencePack pack, int index, string body) => html.Append(CultureInfo.InvariantCulture, $"""
        <section id="section-{index + 1}">
        <header class="pack">Self-evaluation evidence pack · council {E(pack.Council)} · {E(pack.Year)} · snapshot {E(pack.SnapshotId)} (as of {pack.SnapshotCreatedAt:yyyy-MM-dd HH:mm} UTC) · page {index + 1} of {Sections.Length}</header>
        <h1>{index + 1}. {E(Sections[index])}</h1>
        {body}
        </section>

        """);

    private static string GradeMix(EvidencePack pack)
    {
        var rows = pack.Grades.Rows.Select(r => new[]
        {
            S(r["period"]), Figures.Count(r["audits"]),
            Figures.Share(r["effective_outstanding"], r["audits"]), Figures.Share(r["effective_good"], r["audits"]),
            Figures.Share(r["effective_requires_improvement"], r["audits"]), Figures.Share(r["effective_inadequate"], r["audits"]),
            GoodOrBetter(r),
        });
        return Table(["Quarter", "Audits", "Outstanding", "Good", "Requires improvement", "Inadequate", "Good or better"], rows)
            + P("Grades after moderation (the moderated grade where an audit was moderated). Shares are of the quarter's audits.")
            + Notes(pack.Grades);
    }

    private static string GoodOrBetter(Dictionary<string, object?> r) =>
        r["effective_outstanding"] is null || r["effective_good"] is null ? Figures.Withheld
            : Figures.Share(Convert.ToInt64(r["effective_outstanding"], CultureInfo.InvariantCulture) + Convert.ToInt64(r["effective_good"], CultureInfo.InvariantCulture), r["audits"]);

    private static string Requests(EvidencePack pack) =>
        Table(["Quarter sent", "Sent by the QA service", "Returned", "Returned by the due date"],
            pack.Requests.Rows.Select(r => new[] { S(r["period"]), Figures.Count(r["sent"]), Figures.Share(r["returned"], r["sent"]), Figures.Share(r["returned_by_due"], r["with_due_date"]) }))
        + P("Audit requests (practice learning reviews) sent to managers by the QA service in the quarter, and how many came back; by the due date is of those with a due date.")
        + Notes(pack.Requests);

    private static string FollowUp(EvidencePack pack) =>
        Table(["Quarter of the Inadequate audit", "Inadequate audits", "Re-audited within 6 weeks", "Re-audited later", "Not yet re-audited"],
            pack.FollowUp.Rows.Select(r => new[]
            {
                S(r["period"]), Figures.Count(r["inadequate_audits"]), Figures.Share(r["reaudited_within_6_weeks"], r["inadequate_audits"]),
                Figures.Count(r["reaudited_later"]), Figures.Count(r["not_reaudited"]),
            }))
        + P("Within 6 weeks = a re-audit of the same child (by pseudonym) within 42 days of the Inadequate audit.")
        + Notes(pack.FollowUp);

    private static string Moderation(EvidencePack pack) =>
        Table(["Quarter", "Audits", "Moderated", "Moderator agreed the grade", "Upgraded", "Downgraded"],
            pack.Moderation.Rows.Select(r => new[]
            {
                S(r["period"]), Figures.Count(r["audits"]), Figures.Share(r["moderated"], r["audits"]), Figures.Share(r["agreed"], r["moderated"]),
                Figures.Count(r["upgrades"]), Figures.Count(r["downgrades"]),
            }))
        + P("Agreement is over the moderated audits: the moderator kept the auditor's grade.")
        + Notes(pack.Moderation);

    private static string Complaints(EvidencePack pack) =>
        Table(["Quarter received", "Complaints", "Stage 1 responded", "Stage 1 on time", "Stage 2 responded", "Stage 2 on time", "Compliments", "MP enquiries"],
            pack.Complaints.Rows.Select(r => new[]
            {
                S(r["period"]), Figures.Count(r["complaints"]), Figures.Count(r["stage_1_responded"]), Figures.Share(r["stage_1_on_time"], r["stage_1_responded"]),
                Figures.Count(r["stage_2_responded"]), Figures.Share(r["stage_2_on_time"], r["stage_2_responded"]),
                Figures.Count(r["compliments"]), Figures.Count(r["mp_enquiries"]),
            }))
        + P("On time = responded within the statutory working days for the stage (England and Wales bank holidays excluded).")
        + Notes(pack.Complaints);

    private static string Triangulation(EvidencePack pack)
    {
        var correlation = Table(["Theme", "Rank correlation of KPI rate with share Good or better", "Teams (n)"],
            pack.Correlation.Rows.Select(r => new[] { S(r["theme"]), Figures.Number((double?)r["spearman_rho"]), Figures.Count(r["units"]) }));
        var divergent = pack.Triangulation.Rows.Where(r => (string?)r["divergence"] == Queries.AnalyticsQueries.CompliantNotGood)
            .OrderBy(r => (string?)r["theme"], StringComparer.Ordinal).ThenBy(r => (string?)r["team_id"], StringComparer.Ordinal).ToList();
        var list = divergent.Count == 0
            ? P("No team was compliant but not good in any theme this year.")
            : Table(["Theme", "Team", "KPI rate", "Theme grades Good or better"], divergent.Take(14).Select(r => new[]
            {
                S(r["theme"]), $"{S(r["team_name"])} ({S(r["team_id"])})", Figures.Share(r["kpi_numerator"], r["kpi_denominator"]),
                Figures.Share(r["good_or_better"], r["audits"]),
            })) + (divergent.Count > 14 ? P($"and {divergent.Count - 14} more (the dashboard's triangulation page lists all).") : "");
        return P("Is practice that looks compliant actually good? Per Focus 5 theme, each team's compliance KPI rate against its share of theme grades Good or better, for the year.")
            + correlation
            + $"<h2 style=\"font-size:12pt\">Compliant but not good: {divergent.Count.ToString(CultureInfo.InvariantCulture)} team-theme(s)</h2>"
            + list + Notes(pack.Triangulation);
    }

    private static string RiskFlags(EvidencePack pack)
    {
        var verdict = pack.RiskModel?.Rows.FirstOrDefault() is { } model
            ? $"<div class=\"banner\"><strong>The model's verdict:</strong> {E(S(model["verdict"]))}<br>Model {E(S(model["model_version"]))}; backtest ROC-AUC {Figures.Number((double?)model["model_roc_auc"])} against the baseline's {Figures.Number((double?)model["baseline_roc_auc"])}. Team level only: a flag is a prompt for a conversation with the team, never a decision about a team, a worker or a child.</div>"
            : "";
        if (pack.RiskFlags is null)
        {
            return verdict + "<div class=\"banner\"><strong>The model has not scored this snapshot.</strong> Run <code>qa-ingest model train</code> then <code>qa-ingest model score</code> to publish risk flags.</div>";
        }
        var rows = pack.RiskFlags.Rows.Select(r => new[]
        {
            $"{S(r["team_name"])} ({S(r["team_id"])})", S(r["period"]), Figures.Percent((double?)r["probability"] * 100), S(r["band"]),
            string.Join("; ", new[] { r["reason_1"], r["reason_2"], r["reason_3"] }.OfType<string>()),
        });
        return verdict
            + P("The year's latest scored quarter, high and watch bands, most likely first. Questions to open a conversation with each team's manager: what is behind these changes, and what would help?")
            + (pack.RiskFlags.Rows.Count == 0 ? P("No team is in the high or watch band in the latest scored quarter.")
                : Table(["Team", "Quarter", "Probability of declining quality over the next two quarters", "Band", "Reasons"], rows))
            + Notes(pack.RiskFlags);
    }

    private static string Method(EvidencePack pack)
    {
        string[] used = ["effective_good_or_better_share", "return_rate", "on_time_return_rate", "reaudited_within_6_weeks_share", "agreement_rate", "stage_1_on_time_rate", "kpi_rate", "theme_share_good_or_better"];
        var definitions = pack.Measures.Rows.Where(r => used.Contains((string?)r["name"])).Select(r => new[] { S(r["name"]), S(r["description"]), S(r["denominator"]) });
        var suppression = pack.Grades.Notes.Concat(pack.Requests.Notes).Where(n => n.Contains("withheld", StringComparison.OrdinalIgnoreCase) || n.Contains("suppress", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        return Table(["Measure", "Definition", "Share of"], definitions)
            + "<h2 style=\"font-size:12pt\">Small numbers</h2>"
            + (suppression.Count > 0 ? string.Concat(suppression.Select(P)) : P("No count was withheld for this reader (internal management information: small counts are shown)."))
            + P("\"withheld\" marks a count from 1 to the threshold, or a count from which one could be worked out (secondary suppression); shares of withheld counts are withheld.")
            + "<h2 style=\"font-size:12pt\">Source</h2>"
            + P($"Snapshot {pack.SnapshotId}, published {pack.SnapshotCreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; figures computed by the QaAnalytics service's queries for {pack.Caller}. Financial quarters run April–June (Q1) to January–March (Q4); working days exclude England and Wales bank holidays.");
    }

    private static string Table(string[] headings, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var h in headings) html.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++) html.Append(i == 0 ? (row[i].Length > 24 ? "<th scope=\"row\">" : "<th scope=\"row\" class=\"short\">") : row[i].Length > 24 ? "<td>" : "<td class=\"n\">").Append(E(row[i])).Append(i == 0 ? "</th>" : "</td>");
            html.Append("</tr>\n");
        }
        if (!any) html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{headings.Length}\">No data for this period.</td></tr>\n");
        return html.Append("</tbody>\n</table>\n").ToString();
    }

    private static string Notes(PackTable table) => string.Concat(table.Notes.Select(n => $"<p class=\"note\">{E(n)}</p>\n"));

    private static string P(string text) => $"<p>{E(text)}</p>\n";

    private static string S(object? value) => value switch
    {
        null => "–",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
