using System.Globalization;
using System.Text;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Writes a deterministic synthetic QA dataset (teams, audits, audit requests, KPIs, complaints)
/// in the loader's file contract, plus the generating truth in <c>truth/</c>. The design and every
/// parameter are described in <c>docs/sample-data.md</c>.
/// </summary>
public static class SampleGenerator
{
    /// <summary>
    /// Writes the files into <see cref="SampleOptions.OutDir"/> (created if missing; the generator's
    /// own files are overwritten, nothing else is touched). Same options, same bytes. Rows are
    /// streamed council by council, so memory stays flat however many councils are asked for.
    /// </summary>
    public static SampleSummary Write(SampleOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        Directory.CreateDirectory(options.OutDir);
        Directory.CreateDirectory(Path.Combine(options.OutDir, SampleFiles.TruthFolder));

        using (var context = new SampleContext(options))
        {
            for (var c = 0; c < options.Councils; c++)
            {
                var council = SampleCouncil.Build(options, c);
                new CouncilWriter(context, council).WriteAll();
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"Council {council.LaCode} ({c + 1}/{options.Councils}): {council.Teams.Count} teams"));
            }
            TruthReadme.Write(options, Path.Combine(options.OutDir, SampleFiles.TruthReadme));
            return context.Summary();
        }
    }
}
