using QaAnalytics.Ingest.Cli;

namespace QaAnalytics.Ingest;

/// <summary>
/// qa-ingest's entry point, named (not top-level statements) so that the service's <c>Program</c> is
/// the only one the tests, which reference both, see for <c>WebApplicationFactory&lt;Program&gt;</c>.
/// </summary>
internal static class IngestProgram
{
    private static Task<int> Main(string[] args) => IngestCli.RunAsync(args);
}
