using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Reports;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Dashboard;

/// <summary>
/// The directors' dashboard, same origin as <c>/api/v1</c>: the static bundle built from
/// <c>web/</c> (copied to the output's <c>dashboard/</c> folder), its mode (Development offers a role
/// picker) and the evidence pack button. Without a bundle (built where npm was missing) "/" says so.
/// </summary>
public static partial class DashboardExtensions
{
    /// <summary>Where the bundle is: beside the service's assembly.</summary>
    public static string BundleFolder => Path.Combine(AppContext.BaseDirectory, "dashboard");

    public static WebApplication MapQaAnalyticsDashboard(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QaAnalytics.Dashboard");
        if (File.Exists(Path.Combine(BundleFolder, "index.html")))
        {
            var files = new PhysicalFileProvider(BundleFolder);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // The page must never show yesterday's bundle against today's API.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
            });
        }
        else
        {
            LogNoBundle(logger, BundleFolder);
            app.MapGet("/", () => Results.Content(NoBundlePage, "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        app.MapGet("/dashboard/config.json", (IOptions<AuthOptions> auth) => Results.Json(new { mode = auth.Value.Mode.ToString() }));
        app.MapGet("/dashboard/status.json", Status).RequireAuthorization();
        app.MapGet("/dashboard/evidence-pack", EvidencePackAsync).RequireAuthorization();
        return app;
    }

    private const string NoBundlePage = """
        <!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>QaAnalytics: dashboard not built</title></head>
        <body><main><h1>The dashboard was not built</h1>
        <p>This qa-service was built on a machine without npm, so it has no dashboard bundle. The data feeds at <a href="/api/v1">/api/v1</a> work.</p>
        <p>To get the dashboard: install Node.js 20 or later with npm, then rebuild (<code>dotnet build src/QaAnalytics.Service</code> bundles it).</p>
        </main></body></html>
        """;

    /// <summary>
    /// The snapshot served now and whether the model has scored it, so the pages ask for risk flags
    /// only when there are some (a 404 would show as a console error) and say what to run otherwise.
    /// </summary>
    private static IResult Status(SnapshotSource snapshots)
    {
        var snapshot = snapshots.Current();
        using var connection = SnapshotSource.Open(snapshot);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('risk_flags', 'risk_model')";
        var scored = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 2;
        return Results.Json(new { snapshot_id = snapshot.Id, snapshot_created_at = DateTime.SpecifyKind(snapshot.CreatedAt, DateTimeKind.Utc), scored });
    }

    /// <summary>The evidence pack for the caller (refused outside their rights, as every feed is): HTML, or the PDF printed by Chromium.</summary>
    private static async Task<IResult> EvidencePackAsync(HttpContext http, AnalyticsQueries queries, CallerResolver callers, string la_code, string year, string? format)
    {
        var pdf = !string.Equals(format, "html", StringComparison.OrdinalIgnoreCase);
        EvidencePack pack;
        try
        {
            pack = await EvidencePack.BuildAsync(queries, callers.Resolve(http.User), la_code, year, http.RequestAborted);
        }
        catch (AccessDeniedException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        catch (BadArgumentException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
        if (!pdf) return Results.Content(EvidencePackHtml.Render(pack), "text/html; charset=utf-8");
        var folder = Directory.CreateTempSubdirectory("qa-evidence-pack-");
        try
        {
            var (_, pdfPath) = await EvidencePackHtml.WriteAsync(pack, folder.FullName, http.RequestAborted);
            return Results.File(await File.ReadAllBytesAsync(pdfPath, http.RequestAborted), "application/pdf", Path.GetFileName(pdfPath));
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or TimeoutException)
        {
            return Results.Problem(ex.Message + " Ask for format=html to print it from the browser instead.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "PDF unavailable");
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [LoggerMessage(400, LogLevel.Warning, "The dashboard bundle is missing ({Folder}): this build had no npm. The service runs; \"/\" says how to get the dashboard.")]
    private static partial void LogNoBundle(ILogger logger, string folder);
}
