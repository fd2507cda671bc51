using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Http;

/// <summary>
/// The HTTP/1.1 side of the service: a second loopback port (<c>QaAnalytics:HttpPort</c>, default
/// 5081; the gRPC port speaks cleartext HTTP/2 only) and <c>/api/v1</c>, the published results as
/// Arrow, CSV, Parquet or JSON over plain GET, for analysts' tools and web pages.
/// </summary>
public static partial class HttpApiExtensions
{
    public const string ApiPrefix = "/api/v1";

    private const string Edge = "HTTP";

    public static WebApplicationBuilder AddQaAnalyticsHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var port = context.Configuration.GetSection(ServiceOptions.Section).GetValue<int?>(nameof(ServiceOptions.HttpPort)) ?? new ServiceOptions().HttpPort;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.AddQaAnalyticsApiKeys();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/v1</c>: the results and the parameters each takes (open: it describes the public
    /// contract, as gRPC reflection does). <c>GET /api/v1/{result}</c> and <c>/api/v1/catalogue/{table}</c>:
    /// a result, for an authenticated caller (401 without credentials), under the caller's rights
    /// (403 outside them).
    /// </summary>
    public static WebApplication MapQaAnalyticsHttp(this WebApplication app)
    {
        app.MapGet(ApiPrefix, () => Results.Json(ApiResult.All.Values.Select(r => new
        {
            path = $"{ApiPrefix}/{r.Path}",
            rpc = r.Rpc,
            table = r.Table,
            parameters = ApiRequestBinder.Parameters(r.NewRequest().Descriptor).Concat(["format"]),
        })));
        app.MapGet(ApiPrefix + "/{**path}", (string path, HttpContext http, AnalyticsQueries queries, ResultRunner runner, ILoggerFactory logs) =>
            ServeAsync(path, http, queries, runner, logs.CreateLogger("QaAnalytics.Http"))).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ServeAsync(string path, HttpContext http, AnalyticsQueries queries, ResultRunner runner, ILogger logger)
    {
        if (!ApiResult.All.TryGetValue(path.Trim('/'), out var result))
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown result", $"{ApiPrefix}/{path} is not a result; GET {ApiPrefix} lists them", null);
        }
        var format = ResultFormats.Choose(http.Request.Query["format"], http.Request.Headers.Accept);
        if (format is null)
        {
            return http.Request.Query.ContainsKey("format")
                ? Problem(StatusCodes.Status400BadRequest, "Bad request", $"format: '{http.Request.Query["format"]}' is not one of {string.Join(", ", ResultFormats.Names)}", "format")
                : Problem(StatusCodes.Status406NotAcceptable, "Not acceptable",
                    $"Accept names no format this service writes: {ResultFormats.ArrowMediaType}, {ResultFormats.CsvMediaType}, {ResultFormats.ParquetMediaType}, {ResultFormats.JsonMediaType}", null);
        }
        var request = result.NewRequest();
        var rpc = result.Rpc;
        ServedResult served;
        try
        {
            ApiRequestBinder.Bind(request, http.Request.Query);
            served = await runner.RunAsync(rpc, request, http.User, http.Request.Headers[Audiences.Header].FirstOrDefault(), (caller, ct) => result.Query(queries, request, caller, ct), http.RequestAborted, Edge);
        }
        catch (Exception ex) when (EdgeErrors.Of(ex) is { } error)
        {
            return Problem(error.Http, error.Title, error.Detail, error.Field);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            LogAborted(logger, rpc);
            return Results.Empty;
        }
        catch (Exception ex)
        {
            runner.Failed(rpc, ex, Edge);
            return Problem(StatusCodes.Status500InternalServerError, "Internal error", "The query failed; the service log has the details.", null);
        }
        var table = served.Tables.FirstOrDefault(t => t.Table == result.Table);
        if (table is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"the snapshot has no {result.Table} table (for risk_model: run qa-ingest model score)", null);
        }
        await ResultWriter.WriteAsync(table, format.Value, http.Response, http.RequestAborted);
        runner.Served(rpc, request, served with { Tables = [table] }, Edge);
        return Results.Empty;
    }

    /// <summary>An RFC 9457 problem body; <c>field</c> names the parameter at fault.</summary>
    private static IResult Problem(int status, string title, string detail, string? field) =>
        Results.Problem(detail, statusCode: status, title: title, extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    [LoggerMessage(300, LogLevel.Information, "{Rpc}: the client went away before the answer")]
    private static partial void LogAborted(ILogger logger, string rpc);
}
