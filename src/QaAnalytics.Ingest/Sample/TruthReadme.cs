using System.Globalization;
using System.Text;

namespace QaAnalytics.Ingest.Sample;

/// <summary>Writes truth/README.md: what the truth files mean, for whoever finds them beside the data.</summary>
internal static class TruthReadme
{
    public static void Write(SampleOptions o, string path)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $$"""
            # Generating truth (do not load)

            These files describe how the synthetic extracts in the folder above were generated. They are
            for checking analyses, risk models and loaders against the truth; the loader must not load
            them. Full design: `docs/sample-data.md` in the QaAnalytics repository.

            Generated with: councils {{o.Councils}}, years {{o.Years}} ({{o.FirstDate:yyyy-MM-dd}} to {{o.LastDate:yyyy-MM-dd}}), seed {{o.Seed}}, dirty {{(o.Dirty ? "yes" : "no")}}.

            ## team_quarters.csv

            One row per team and financial quarter of the data.

            | column | meaning |
            |---|---|
            | team_id | as in teams.csv |
            | financial_quarter | UK financial quarter, e.g. `2024/25 Q3` (October–December 2024) |
            | quarter_start | first day of the quarter (yyyy-mm-dd) |
            | pressure | latent workforce pressure p (mean about 0.2, SD about 0.6; 1–2.5 during an episode). Drives caseload and agency rate up and compliance down in the same quarter. |
            | quality | latent practice quality q (SD about 0.5 across team-quarters); audit grades are drawn around it. It falls one to two quarters after pressure rises: q_t = base + trend − {{CausalModel.Beta}}·({{CausalModel.Lag1Weight}}·p_(t−1) + {{CausalModel.Lag2Weight}}·p_(t−2)) + noise. |
            | process_driven | Y for teams whose compliance KPIs stay high (about 96%) whatever happens to practice, while their quality declines by 0.18 a quarter (to at most 1.1 below where it would be): the divergence triangulation should find. |
            | quality_decline_next_quarter | Y when quality next quarter is at least {{CausalModel.DeclineThreshold}} lower (q_(t+1) − q_t ≤ −{{CausalModel.DeclineThreshold}}). For the last quarter the generator simulates one quarter beyond the data, so the label exists but nothing in the extracts can confirm it. |
            | pressure_episode | Y while a sustained pressure episode (3–5 quarters, a few teams per council) is running |

            ## expected_rejects.csv

            Empty (header only) unless the data was generated in dirty mode. One row per planted bad
            row: `file`, `line_no` (physical line, header = 1), `column` and `reason_kind`. Every planted
            row has exactly one fault; a correct loader rejects exactly these lines and accepts every other
            line. Where a fault could also break a cross-field rule (a negative denominator is also smaller
            than its numerator), the single-field reason is recorded, so check fields on their own before
            comparing them.

            reason_kind: {{string.Join(", ", PlantedRejectKind.All)}}.

            ## expected_oddities.csv

            Dirty mode only: lines holding awkward values that must be accepted unchanged (`file`, `line_no`,
            `column`, `kind`): formula-like complaint themes such as `=HYPERLINK("http://x","click")` (an
            export must neutralise them), text with commas and quotes, and team names with non-ASCII
            characters (teams.csv is Windows-1252 in dirty mode).

            """);
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal), new UTF8Encoding(false));
    }
}
