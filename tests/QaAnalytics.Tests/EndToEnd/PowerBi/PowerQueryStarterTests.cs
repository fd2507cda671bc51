using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using QaAnalytics.Testing;

namespace QaAnalytics.Tests.EndToEnd.PowerBi;

/// <summary>
/// Issue 11 §5: every URL in <c>powerbi/*.pq</c> — each feed's entity set and the URL its folded
/// steps become — resolves against the built service, started as its own process with both ports,
/// over a generated, loaded and scored snapshot (so the risk flags exist).
/// </summary>
[Collection(RiskCollection.Name)]
public sealed partial class PowerQueryStarterTests(RiskDataFixture data)
{
    [Fact]
    public async Task EveryPowerQueryUrl_ResolvesAgainstTheRunningService()
    {
        var folder = Path.Combine(Repository.Root(), "powerbi");
        var queries = Directory.GetFiles(folder, "*.pq").Where(f => Path.GetFileName(f) != "BaseUrl.pq").ToList();
        Assert.True(queries.Count >= 10, $"only {queries.Count} .pq files");
        var baseUrl = BaseUrlValue().Match(await File.ReadAllTextAsync(Path.Combine(folder, "BaseUrl.pq")));
        Assert.True(baseUrl.Success, "BaseUrl.pq holds no base URL parameter");
        Assert.Equal("http://127.0.0.1:5081/odata/", baseUrl.Groups[1].Value);

        var grpcPort = ServiceProcess.FreeLoopbackPort();
        var httpPort = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.Start(Path.Combine(AppContext.BaseDirectory, "qa-service.dll"), data.DbPath, grpcPort, out var log, httpPort);
        try
        {
            await ServiceProcess.WaitUntilServing(service, grpcPort, log, TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            var root = baseUrl.Groups[1].Value.Replace(":5081/", $":{httpPort}/", StringComparison.Ordinal);
            var checkedUrls = 0;
            foreach (var file in queries)
            {
                var text = await File.ReadAllTextAsync(file);
                var source = Assert.Single(FeedSource().Matches(text)).Groups[1].Value;
                var urls = new List<string> { source };
                foreach (Match folded in FoldsTo().Matches(text))
                {
                    Assert.StartsWith(source + "?", folded.Groups[1].Value, StringComparison.Ordinal);
                    urls.Add(folded.Groups[1].Value.Trim());
                }
                foreach (var url in urls)
                {
                    using var response = await http.GetAsync(root + url);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{Path.GetFileName(file)}: {url} → {(int)response.StatusCode} {body}");
                    using var json = JsonDocument.Parse(body);
                    Assert.NotEmpty(json.RootElement.GetProperty("value").EnumerateArray());
                    checkedUrls++;
                }
            }
            Assert.True(checkedUrls > queries.Count, "no folded URL was checked");
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    [GeneratedRegex("^\"([^\"]+)\" meta", RegexOptions.Multiline)]
    private static partial Regex BaseUrlValue();

    [GeneratedRegex("OData\\.Feed\\(BaseUrl & \"([^\"]+)\"")]
    private static partial Regex FeedSource();

    [GeneratedRegex("^// Folds to: (.+)$", RegexOptions.Multiline)]
    private static partial Regex FoldsTo();
}
