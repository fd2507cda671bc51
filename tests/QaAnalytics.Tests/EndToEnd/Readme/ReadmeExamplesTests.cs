using System.Reflection;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;
using Xunit.Abstractions;
using QaAnalyticsClient = QaAnalytics.Contracts.V1.QaAnalytics.QaAnalyticsClient;

namespace QaAnalytics.Tests.EndToEnd.Readme;

/// <summary>
/// Every example in README.md's <c>```bash</c> blocks, run against the demo's data: gRPC examples over
/// real HTTP/2 to the built service, CLI examples through the built <c>qa-ingest</c>. Conventions
/// for adding examples are in <see cref="ReadmeExamples"/>.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class ReadmeExamplesTests(DemoFixture demo, ITestOutputHelper output)
{
    private static string ReadmeText => File.ReadAllText(Path.Combine(Notebooks.NotebookDatabaseFixture.FindRepoRoot(), "README.md"));

    public static TheoryData<int, string> Examples(ReadmeExamples.Kind kind)
    {
        var data = new TheoryData<int, string>();
        foreach (var line in ReadmeExamples.Parse(ReadmeText).Where(l => l.Kind == kind)) data.Add(line.Number, line.Text);
        return data;
    }

    public static TheoryData<int, string> GrpcExamples() => Examples(ReadmeExamples.Kind.Grpc);

    public static TheoryData<int, string> CliExamples() => Examples(ReadmeExamples.Kind.Cli);

    public static TheoryData<int, string> HttpExamples() => Examples(ReadmeExamples.Kind.Http);

    [Fact]
    public void Readme_EveryBashLine_IsRunByATestOrSaysWhereItRuns()
    {
        var lines = ReadmeExamples.Parse(ReadmeText);

        var unknown = lines.Where(l => l.Kind == ReadmeExamples.Kind.Unknown).Select(l => $"README.md:{l.Number}: {l.Text}").ToList();
        Assert.True(unknown.Count == 0,
            "README lines in ```bash blocks that no test runs (add a Kind and a test in tests/QaAnalytics.Tests/Readme, or a reason to ReadmeExamples.RunElsewhere):\n"
            + string.Join('\n', unknown));
        Assert.True(lines.Count(l => l.Kind == ReadmeExamples.Kind.Grpc) >= 10, "the README's gRPC examples were not found");
        Assert.Contains(lines, l => l.Kind == ReadmeExamples.Kind.Cli);
    }

    [Theory]
    [MemberData(nameof(GrpcExamples))]
    public async Task GrpcExample_AgainstDemoData_AnswersOkWithEveryTableDecoded(int line, string text)
    {
        var variables = ReadmeExamples.Parse(ReadmeText).Where(l => l.Kind == ReadmeExamples.Kind.Variables && l.Number < line)
            .SelectMany(l => ReadmeExamples.Variables(l.Text)).ToDictionary(StringComparer.Ordinal);
        var words = ReadmeExamples.Words(text).Select(w => Expand(w, variables)).ToList();
        var target = words[^1];
        var slash = target.LastIndexOf('/');
        Assert.Equal(Contracts.V1.QaAnalytics.Descriptor.FullName, target[..slash]);
        var body = words.IndexOf("-d") is var d and >= 0 ? words[d + 1] : "{}";

        var tables = await Call(target[(slash + 1)..], body);

        output.WriteLine($"README.md:{line}: " + string.Join(", ", tables.Select(t => $"{t.Metadata.Table} {t.Metadata.RowCount} rows")));
        Assert.NotEmpty(tables);
        Assert.All(tables, t => Assert.Equal(t.Metadata.RowCount, t.Rows.Count));
        // An example that answers nothing on the demo's data shows nothing: each must return rows.
        Assert.True(tables[0].Rows.Count > 0, $"README.md:{line}: {tables[0].Metadata.Table} has no rows on the demo's data");
    }

    [Theory]
    [MemberData(nameof(HttpExamples))]
    public async Task HttpExample_AgainstDemoData_Answers2xxWithABody(int line, string text)
    {
        var variables = ReadmeExamples.Parse(ReadmeText).Where(l => l.Kind == ReadmeExamples.Kind.Variables && l.Number < line)
            .SelectMany(l => ReadmeExamples.Variables(l.Text)).ToDictionary(StringComparer.Ordinal);
        var (url, headers) = ReadmeExamples.CurlRequest(ReadmeExamples.Words(text).Select(w => Expand(w, variables)).ToList());
        // The README names the default port; the demo's service listens on a free one.
        url = url.Replace("127.0.0.1:5081", $"127.0.0.1:{demo.HttpPort}", StringComparison.Ordinal);
        Assert.StartsWith($"http://127.0.0.1:{demo.HttpPort}/", url + "/");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        output.WriteLine($"README.md:{line}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {body.Length:N0} bytes");
        Assert.True(response.IsSuccessStatusCode, $"README.md:{line}: {url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}\nservice log:\n{demo.ServiceLog}");
        Assert.NotEmpty(body);
    }

    [Theory]
    [MemberData(nameof(CliExamples))]
    public async Task CliExample_AgainstDemoData_ExitsAsDocumented(int line, string text)
    {
        var args = ReadmeExamples.CliArgs(text)!;

        var (exit, stdout, stderr) = await demo.RunCliAsync(args);

        output.WriteLine(stdout);
        Assert.True(ReadmeExamples.ExpectedExit(text) == exit, $"README.md:{line}: `{text}` exited with {exit}:\n{stdout}\n{stderr}");
    }

    /// <summary>Sends <paramref name="json"/>, parsed as grpcurl would into the method's request type, to the demo's service.</summary>
    private async Task<List<DecodedTable>> Call(string method, string json)
    {
        var descriptor = Contracts.V1.QaAnalytics.Descriptor.FindMethodByName(method)
            ?? throw new InvalidOperationException($"{method} is not an RPC of {Contracts.V1.QaAnalytics.Descriptor.FullName}");
        var request = JsonParser.Default.Parse(json, descriptor.InputType);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{demo.Port}");
        var client = new QaAnalyticsClient(channel);
        var invoke = typeof(QaAnalyticsClient).GetMethod(method, BindingFlags.Public | BindingFlags.Instance, [descriptor.InputType.ClrType, typeof(CallOptions)])!;
        var call = (AsyncServerStreamingCall<ArrowChunk>)invoke.Invoke(client, [request, new CallOptions(deadline: DateTime.UtcNow.AddMinutes(2))])!;
        try
        {
            return await ArrowChunkReader.ReadAsync(call);
        }
        catch (RpcException ex)
        {
            throw new InvalidOperationException($"{method} {json} failed: {ex.Status}\nservice log:\n{demo.ServiceLog}", ex);
        }
    }

    private static string Expand(string word, Dictionary<string, string> variables)
    {
        foreach (var (name, value) in variables) word = word.Replace("$" + name, value, StringComparison.Ordinal);
        return word;
    }
}
