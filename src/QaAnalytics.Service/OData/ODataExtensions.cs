using System.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.OData;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.UriParser;
using QaAnalytics.Service.Http;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.OData;

/// <summary>
/// OData v4 (read-only) under <c>/odata</c> on the HTTP/1.1 port, for Power BI, Excel and Tableau:
/// the service document and <c>$metadata</c> (open: they describe the public contract, as gRPC
/// reflection does), and one feed per entity set (authenticated like every data call). Query
/// options are parsed by Microsoft.OData.Core's <see cref="ODataUriParser"/> against the model;
/// the set's request runs through the same query layer and cache as its RPC; <c>$filter</c>,
/// <c>$orderby</c>, <c>$select</c>, <c>$skip</c>, <c>$top</c> and <c>$count</c> then apply to the
/// computed rows; pages end with <c>@odata.nextLink</c>.
/// </summary>
public static partial class ODataExtensions
{
    public const string Prefix = "/odata";

    private const string Edge = "OData";

    /// <summary>The system query options a feed takes; anything else starting with <c>$</c> is refused.</summary>
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal) { "$filter", "$select", "$orderby", "$top", "$skip", "$count", "$format" };

    public static WebApplicationBuilder AddQaAnalyticsOData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ODataModel>();
        return builder;
    }

    public static WebApplication MapQaAnalyticsOData(this WebApplication app)
    {
        app.MapGet(Prefix, ServiceDocumentAsync);
        app.MapGet(Prefix + "/$metadata", MetadataAsync);
        app.MapGet(Prefix + "/{set}", FeedAsync).RequireAuthorization();
        return app;
    }

    private static Uri ServiceRoot(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}/");

    private static async Task ServiceDocumentAsync(HttpContext http, ODataModel models)
    {
        var built = await models.GetAsync(http.RequestAborted);
        var root = ServiceRoot(http.Request);
        http.Response.ContentType = ODataJsonWriter.ContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await using var json = new System.Text.Json.Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("@odata.context", root + "$metadata");
        json.WriteStartArray("value");
        foreach (var set in built.Sets.Keys)
        {
            json.WriteStartObject();
            json.WriteString("name", set);
            json.WriteString("kind", "EntitySet");
            json.WriteString("url", set);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static async Task MetadataAsync(HttpContext http, ODataModel models)
    {
        var built = await models.GetAsync(http.RequestAborted);
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            if (!CsdlWriter.TryWriteCsdl(built.Model, xml, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException("the EDM model does not write as CSDL: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
            }
        }
        http.Response.ContentType = "application/xml;charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted);
    }

    private static async Task FeedAsync(string set, HttpContext http, ODataModel models, AnalyticsQueries queries, ResultRunner runner, IOptions<ServiceOptions> options)
    {
        var ct = http.RequestAborted;
        var built = await models.GetAsync(ct);
        if (!built.Sets.TryGetValue(set, out var schema))
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 400, "UnknownEntitySet",
                $"{set} is not an entity set of this service; the service document ({Prefix}/) lists them", null);
            return;
        }
        var pageSize = options.Value.ODataPageSize;
        FeedQuery feed;
        try
        {
            feed = Parse(built, schema, http.Request, pageSize);
        }
        catch (ODataRequestException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 400, "BadRequest", ex.Message, ex.Target);
            return;
        }
        catch (ODataException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 400, "BadRequest", ex.Message, null);
            return;
        }

        var request = schema.Set.Result.NewRequest();
        var rpc = schema.Set.Result.Rpc;
        ServedResult? served = null;
        IReadOnlyList<object?[]> rows;
        try
        {
            var parameters = schema.Set.Parameters.ToDictionary(p => p.Key, p => new StringValues(p.Value), StringComparer.Ordinal);
            foreach (var (name, values) in feed.Pushdown) parameters[name] = new StringValues([.. values]);
            ApiRequestBinder.Bind(request, parameters);
            served = await runner.RunAsync(rpc, request, http.User, http.Request.Headers[Audiences.Header].FirstOrDefault(), (caller, c) => schema.Set.Result.Query(queries, request, caller, c), ct, Edge);
            var table = served.Tables.FirstOrDefault(t => t.Table == schema.Set.Result.Table)
                ?? throw new NotFoundException($"the snapshot has no {schema.Set.Result.Table} table");
            rows = await ODataRows.ReadAsync(table.Result, schema.Columns, ct);
            served = served with { Tables = [table] };
        }
        catch (QueryTimeoutException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 504, "Timeout", ex.Message, null);
            return;
        }
        catch (AccessDeniedException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 403, "Forbidden", ex.Message, null);
            return;
        }
        catch (BadArgumentException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 400, "BadRequest", Grpc.QaAnalyticsService.Detail(ex.Message), "$filter");
            return;
        }
        catch (NotFoundException) when (feed.Pushdown.Keys.Any(k => k is "la_code" or "service_area" or "team_id"))
        {
            // The filter names a team the snapshot does not hold: no row matches.
            rows = [];
        }
        catch (NotFoundException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 404, "NotFound", Grpc.QaAnalyticsService.Detail(ex.Message), null);
            return;
        }
        catch (ResultTooLargeException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 422, "ResultTooLarge", ex.Message, null);
            return;
        }
        catch (FileNotFoundException ex)
        {
            await ODataJsonWriter.WriteErrorAsync(http.Response, 503, "Unavailable", Grpc.QaAnalyticsService.Detail(ex.Message), null);
            return;
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            runner.Failed(rpc, ex, Edge);
            await ODataJsonWriter.WriteErrorAsync(http.Response, 500, "InternalError", "The query failed; the service log has the details.", null);
            return;
        }

        IReadOnlyList<object?[]> matched = feed.Filter is null ? rows : [.. rows.Where(feed.Filter)];
        if (feed.Order is not null) matched = [.. matched.Order(feed.Order)];
        var skip = (int)Math.Min(feed.Skip ?? 0, int.MaxValue);
        var take = (int)Math.Min(feed.Top ?? long.MaxValue, pageSize);
        var page = matched.Skip(skip).Take(take);
        var more = matched.Count > (long)skip + take && (feed.Top is null || feed.Top > take);
        var root = ServiceRoot(http.Request);
        var context = $"{root}$metadata#{set}" + (feed.SelectedNames is { } names ? $"({string.Join(',', names)})" : "");
        http.Response.ContentType = ODataJsonWriter.ContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await ODataJsonWriter.WritePageAsync(http.Response.Body, context, feed.Count ? matched.Count : null, schema.Columns, feed.Selected, page,
            more ? NextLink(root, set, http.Request.Query, skip + take, feed.Top - take) : null, ct);
        if (served is not null) runner.Served(rpc, request, served, Edge);
    }

    /// <summary>What a feed request asks for, parsed and checked.</summary>
    private sealed record FeedQuery(Dictionary<string, List<string>> Pushdown, Func<object?[], bool>? Filter, IComparer<object?[]>? Order,
        IReadOnlyList<int> Selected, IReadOnlyList<string>? SelectedNames, long? Top, long? Skip, bool Count);

    private static FeedQuery Parse(ODataBuiltModel built, ODataSetSchema schema, HttpRequest request, int pageSize)
    {
        var options = new List<string>();
        foreach (var (name, values) in request.Query)
        {
            if (!name.StartsWith('$')) continue;
            if (name == "$apply")
            {
                throw new ODataRequestException(name, "$apply is not supported: each entity set is already grouped at one organisation level and time grain (…ByTeamQuarter); pick the set at the grain you want");
            }
            if (!Supported.Contains(name)) throw new ODataRequestException(name, $"the query option {name} is not supported (supported: {string.Join(", ", Supported)})");
            if (values.Count != 1) throw new ODataRequestException(name, $"{name} is given more than once");
            if (name == "$format")
            {
                if (!(values[0] ?? "").StartsWith("json", StringComparison.OrdinalIgnoreCase) && !(values[0] ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ODataRequestException(name, "only JSON is served ($format=json)");
                }
                continue;
            }
            options.Add(name + "=" + Uri.EscapeDataString(values[0] ?? ""));
        }
        var root = ServiceRoot(request);
        var parser = new ODataUriParser(built.Model, root, new Uri(root, schema.Set.Name + (options.Count > 0 ? "?" + string.Join('&', options) : "")));
        var filter = parser.ParseFilter();
        var select = parser.ParseSelectAndExpand();
        var orderBy = parser.ParseOrderBy();
        var top = parser.ParseTop();
        var skip = parser.ParseSkip();
        var count = parser.ParseCount() ?? false;
        if (top is < 0) throw new ODataRequestException("$top", "$top must be 0 or more");
        if (skip is < 0) throw new ODataRequestException("$skip", "$skip must be 0 or more");
        if (top > pageSize) throw new ODataRequestException("$top", $"$top is {top}, over the page limit of {pageSize} rows; leave $top out and follow @odata.nextLink");

        var index = schema.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        IReadOnlyList<int> selected = Enumerable.Range(0, schema.Columns.Count).ToList();
        IReadOnlyList<string>? selectedNames = null;
        if (select is { AllSelected: false })
        {
            var names = new List<string>();
            foreach (var item in select.SelectedItems)
            {
                if (item is PathSelectItem { SelectedPath.FirstSegment: PropertySegment property } && item is PathSelectItem { SelectedPath.Count: 1 }) names.Add(property.Property.Name);
                else throw new ODataRequestException("$select", "only properties of the entity set can be selected");
            }
            selectedNames = names.Distinct(StringComparer.Ordinal).ToList();
            selected = selectedNames.Select(n => index[n]).ToList();
        }
        else if (select?.SelectedItems.Any(i => i is ExpandedNavigationSelectItem) == true)
        {
            throw new ODataRequestException("$expand", "$expand is not supported: the entity sets have no navigation properties");
        }

        return new FeedQuery(ODataFilter.Pushdown(filter?.Expression, schema.Set.Grain), filter is null ? null : ODataFilter.Compile(filter.Expression, index),
            orderBy is null ? null : new RowOrder(orderBy, index), selected, selectedNames, top, skip, count);
    }

    /// <summary>The next page's URL: the same options with <c>$skip</c> moved on (and what is left of <c>$top</c>); never the API key.</summary>
    private static string NextLink(Uri root, string set, IQueryCollection query, long skip, long? top)
    {
        var parts = query.Where(q => q.Key is not ("$skip" or "$top" or ApiKeyAuthenticationHandler.QueryName))
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("$skip=" + skip.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (top is { } t) parts = parts.Append("$top=" + t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"{root}{set}?{string.Join('&', parts)}";
    }

    /// <summary>$orderby over rows: each key in turn, nulls first ascending (as OData orders them), ties kept in the RPC's order (a stable sort).</summary>
    private sealed class RowOrder : IComparer<object?[]>
    {
        private readonly List<(int Column, bool Descending)> _keys = [];

        public RowOrder(OrderByClause? clause, IReadOnlyDictionary<string, int> index)
        {
            for (var c = clause; c is not null; c = c.ThenBy)
            {
                var name = c.Expression is SingleValuePropertyAccessNode p ? p.Property.Name
                    : throw new ODataRequestException("$orderby", "$orderby takes properties of the entity set only");
                _keys.Add((index[name], c.Direction == OrderByDirection.Descending));
            }
        }

        public int Compare(object?[]? x, object?[]? y)
        {
            foreach (var (column, descending) in _keys)
            {
                var (a, b) = (x![column], y![column]);
                var order = a is null ? (b is null ? 0 : -1) : b is null ? 1 : ODataFilter.Comparison(a, b);
                if (order != 0) return descending ? -order : order;
            }
            return 0;
        }
    }
}
