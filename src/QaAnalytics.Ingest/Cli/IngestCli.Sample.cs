using System.CommandLine;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static Command SampleCommand() => new("sample", "(wired after the generator lands)");

    private static Command DemoCommand() => new("demo", "(wired after the generator lands)");
}
