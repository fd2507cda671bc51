using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Service;

/// <summary>
/// <c>qa-service --smoke</c>: starts the service, calls it over real HTTP/2 on loopback like any
/// client, decodes the Arrow results, prints a short summary and stops. The Quick start's proof
/// that the service answers.
/// </summary>
public static class SmokeCheck
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        await app.StartAsync();
        try
        {
            var port = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServiceOptions>>().Value.Port;
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

            var catalogue = await ReadAsync(client.GetCatalogue(new CatalogueRequest()));
            Console.WriteLine($"Snapshot {catalogue[0].Metadata.SnapshotId}: " +
                string.Join(", ", catalogue.Select(t => $"{t.Metadata.RowCount} {t.Metadata.Table}")));

            var grades = (await ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Grain = TimeGrain.FinancialYear })))[0];
            Console.WriteLine("Effective grade mix by financial year (council):");
            foreach (var row in grades.Rows)
            {
                Console.WriteLine($"  {row["la_code"]} {row["period"]}: Good or better {Counted(Sum(row["effective_good"], row["effective_outstanding"]), row["audits"])} audits");
            }

            var triangulation = (await ReadAsync(client.GetTriangulation(new TriangulationRequest { Grain = TimeGrain.FinancialYear })))[0];
            var flagged = triangulation.Rows.Where(r => r["divergence"] is not null).ToList();
            Console.WriteLine($"Triangulation: {triangulation.Metadata.RowCount} team × year × theme rows, {flagged.Count} flagged:");
            foreach (var row in flagged.Take(FlagsShown))
            {
                Console.WriteLine($"  {row["team_id"]} {row["period"]} {row["theme"]}: {row["kpi_code"]} {Counted(row["kpi_numerator"], row["kpi_denominator"])}, " +
                    $"theme grades Good or better {Counted(row["good_or_better"], row["audits"])} ({row["divergence"]})");
            }
            if (flagged.Count > FlagsShown) Console.WriteLine($"  and {flagged.Count - FlagsShown} more");

            await PrintRiskFlags(client);
            return 0;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            Console.Error.WriteLine("The service wants a bearer token: the smoke check sends none, so run it with QaAnalytics__Auth__Mode=Development (as scripts/demo.sh does).");
            return 1;
        }
        catch (RpcException ex)
        {
            Console.Error.WriteLine($"The service did not answer as expected: {ex.Status.StatusCode} {ex.Status.Detail}");
            return 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>The latest quarter's high flags, if the snapshot has been scored (qa-ingest model score).</summary>
    private static async Task PrintRiskFlags(Contracts.V1.QaAnalytics.QaAnalyticsClient client)
    {
        try
        {
            var request = new RiskFlagsRequest();
            request.Bands.Add("high");
            var flags = (await ReadAsync(client.GetRiskFlags(request)))[0];
            // The verdict before any flag: without evidence the flags are the grade history alone.
            Console.WriteLine(flags.Metadata.Notes.FirstOrDefault(n => n.StartsWith("Verdict", StringComparison.Ordinal)) ?? "Verdict of the backtest: unknown");
            var latest = flags.Rows.Select(r => (string?)r["period"]).LastOrDefault();
            var current = flags.Rows.Where(r => (string?)r["period"] == latest).ToList();
            Console.WriteLine($"Risk flags {latest} (model {current.FirstOrDefault()?["model_version"]}): {current.Count} team(s) high; a prompt for a conversation, never a decision:");
            foreach (var row in current.Take(3))
            {
                Console.WriteLine($"  {row["team_id"]} {row["team_name"]}: {Percent(row["probability"], 100)} — pressure: {row["drivers_pressure"] ?? "none"}; history: {row["drivers_history"] ?? "none"}");
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            Console.WriteLine($"Risk flags: none yet ({ex.Status.Detail})");
        }
    }

    private const int FlagsShown = 10;

    private static long? Sum(object? a, object? b) => a is long x && b is long y ? x + y : null;

    /// <summary>"12 of 40 (30%)": a share always beside its counts; withheld when either count is.</summary>
    internal static string Counted(object? part, object? whole) => (part, whole) switch
    {
        (long p, long w) when w > 0 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p:N0} of {w:N0} ({100.0 * p / w:0.#}%)"),
        (long p, long w) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p:N0} of {w:N0}"),
        _ => "withheld (small numbers)",
    };

    private static string Percent(object? value, double scale) =>
        value is double v ? (v * scale).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "withheld (small numbers)";

    /// <summary>Each table of a response, decoded as a client would, with the service's own Arrow reading.</summary>
    private static async Task<List<(ResultMetadata Metadata, List<Dictionary<string, object?>> Rows)>> ReadAsync(AsyncServerStreamingCall<ArrowChunk> call)
    {
        using (call)
        {
            return [.. (await ArrowResponse.TablesAsync(call.ResponseStream)).Select(t => (t.Metadata, ArrowRows.Rows(t.Chunks)))];
        }
    }
}
