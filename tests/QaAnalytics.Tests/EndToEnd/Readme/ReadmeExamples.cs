using System.Text.RegularExpressions;

namespace QaAnalytics.Tests.EndToEnd.Readme;

/// <summary>
/// The runnable examples of README.md: every line of every <c>```bash</c> block, with its line
/// number. A test runs each by its first word (<see cref="Kind"/>); a line no test knows how to run
/// fails <see cref="ReadmeExamplesTests"/>, so an example cannot be added without being checked.
/// </summary>
public static partial class ReadmeExamples
{
    /// <summary>How a README line is checked.</summary>
    public enum Kind
    {
        /// <summary><c>grpcurl … -d 'JSON' $S $Q/Method</c>: the body is parsed into the request type and sent over real gRPC.</summary>
        Grpc,

        /// <summary><c>qa-ingest …</c> or <c>dotnet run --project src/QaAnalytics.Ingest -- …</c>: run through the built CLI in a folder holding the demo's <c>data/</c>; exit 0 unless the line ends <c># exit N</c>.</summary>
        Cli,

        /// <summary><c>curl …</c> to the HTTP/1.1 port (<c>/api/v1</c>, <c>/odata</c>): sent with the same method, URL and headers; must answer 2xx with a body.</summary>
        Http,

        /// <summary>Shell variables (<c>S=…; Q=…</c>) used by the lines after them.</summary>
        Variables,

        /// <summary>Run elsewhere, by another test or on purpose not at all (<see cref="RunElsewhere"/> says which and why).</summary>
        Elsewhere,

        /// <summary>No test runs this line yet: a failure.</summary>
        Unknown,
    }

    /// <summary>
    /// Lines that begin with these are not run by the README test, each for the reason given. Add a
    /// prefix here only with a reason; to have a new kind of example run, add a <see cref="Kind"/>
    /// and a test in <see cref="ReadmeExamplesTests"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RunElsewhere = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bash scripts/demo.sh"] = "its two steps run in ReadmeDemoFixture: qa-ingest demo, then qa-service --smoke (ReadmeExamplesTests.SmokeCheck_*)",
        ["bash scripts/test.sh"] = "the test suite itself (CI runs it)",
        ["bash scripts/notebooks.sh"] = "NotebookTests runs this script on every notebook",
        ["bash scripts/install-test-deps.sh"] = "scripts/test.sh runs it before the tests",
        ["QaAnalytics__Auth__Mode=Development dotnet run --project src/QaAnalytics.Service"] =
            "ReadmeDemoFixture starts the built service the same way: in the folder holding data/, default (relative) database path, Development mode",
        ["dotnet run -c Release --project bench/QaAnalytics.Benchmarks"] = "benchmarks measure speed over minutes; the suite runs their fast variants (kill, soak, fuzz)",
    };

    public sealed record Line(int Number, string Text, Kind Kind);

    /// <summary>Every non-blank, non-comment line of the <c>```bash</c> blocks of <paramref name="markdown"/>.</summary>
    public static List<Line> Parse(string markdown)
    {
        var lines = new List<Line>();
        var inBash = false;
        var number = 0;
        foreach (var raw in markdown.Split('\n'))
        {
            number++;
            var text = raw.TrimEnd('\r').Trim();
            if (text.StartsWith("```", StringComparison.Ordinal))
            {
                inBash = !inBash && text == "```bash";
                continue;
            }
            if (!inBash || text.Length == 0 || text.StartsWith('#')) continue;
            lines.Add(new Line(number, text, Classify(text)));
        }
        return lines;
    }

    private static Kind Classify(string text)
    {
        if (text.StartsWith("grpcurl ", StringComparison.Ordinal)) return Kind.Grpc;
        if (text.StartsWith("curl ", StringComparison.Ordinal)) return Kind.Http;
        if (CliArgs(text) is not null) return Kind.Cli;
        if (VariablesLine().IsMatch(text)) return Kind.Variables;
        if (RunElsewhere.Keys.Any(p => text.StartsWith(p, StringComparison.Ordinal))) return Kind.Elsewhere;
        return Kind.Unknown;
    }

    /// <summary><c>S=127.0.0.1:5080; Q=qaanalytics.v1.QaAnalytics</c> → S, Q.</summary>
    public static Dictionary<string, string> Variables(string line) =>
        line.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => a.Split('=', 2))
            .ToDictionary(a => a[0], a => a[1], StringComparer.Ordinal);

    /// <summary>Splits a shell line into words: single and double quotes group, a trailing <c># …</c> is dropped.</summary>
    public static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else current.Append(c);
                continue;
            }
            if (c is '\'' or '"') { quote = c; inWord = true; continue; }
            if (c == '#' && !inWord) break;
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            current.Append(c);
            inWord = true;
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>
    /// The arguments of a CLI line: <c>qa-ingest ARGS</c> (the published binary) or
    /// <c>dotnet run --project src/QaAnalytics.Ingest -- ARGS</c>; null for any other line.
    /// </summary>
    public static List<string>? CliArgs(string line)
    {
        var words = Words(line);
        if (words is ["qa-ingest", .. var args]) return args;
        if (words is ["dotnet", "run", "--project", "src/QaAnalytics.Ingest", "--", .. var run]) return run;
        return null;
    }

    /// <summary>
    /// The URL and headers of a <c>curl</c> line: <c>-H 'Name: value'</c> headers, the one word that is
    /// not an option (or an option's value) is the URL; <c>\$</c> as the shell reads it in double quotes.
    /// </summary>
    public static (string Url, List<KeyValuePair<string, string>> Headers) CurlRequest(IReadOnlyList<string> words)
    {
        var headers = new List<KeyValuePair<string, string>>();
        string? url = null;
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "-H" or "--header")
            {
                var header = words[++i];
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
            }
            else if (word is "-o" or "--output") i++;
            else if (word.StartsWith('-')) continue;
            else url = word.Replace("\\$", "$", StringComparison.Ordinal);
        }
        return (url ?? throw new InvalidOperationException("a curl line without a URL"), headers);
    }

    /// <summary>The exit code a CLI line expects: <c># exit N</c> at its end, else 0.</summary>
    public static int ExpectedExit(string line) =>
        ExitComment().Match(line) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=[^ ]+(;\s*[A-Za-z_][A-Za-z0-9_]*=[^ ]+)*;?$")]
    private static partial Regex VariablesLine();

    [GeneratedRegex(@"#\s*exit\s+(\d+)\s*$")]
    private static partial Regex ExitComment();
}
