using Microsoft.Net.Http.Headers;

namespace QaAnalytics.Service.Http;

/// <summary>The formats a result is served in over HTTP, chosen by <c>format=</c> or the <c>Accept</c> header.</summary>
public enum ResultFormat
{
    /// <summary>Arrow IPC stream, <c>application/vnd.apache.arrow.stream</c>: the bytes the gRPC RPC streams (the default).</summary>
    Arrow,

    /// <summary>CSV, <c>text/csv</c> (UTF-8 with a byte-order mark, formula-injection guarded).</summary>
    Csv,

    /// <summary>Parquet, <c>application/vnd.apache.parquet</c>.</summary>
    Parquet,

    /// <summary>JSON, <c>application/json</c>: the table's metadata and its rows as objects (for web pages).</summary>
    Json,
}

/// <summary>Content negotiation for <see cref="ResultFormat"/>.</summary>
public static class ResultFormats
{
    public const string ArrowMediaType = "application/vnd.apache.arrow.stream";
    public const string CsvMediaType = "text/csv";
    public const string ParquetMediaType = "application/vnd.apache.parquet";
    public const string JsonMediaType = "application/json";

    private static readonly IReadOnlyDictionary<string, ResultFormat> ByName = new Dictionary<string, ResultFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["arrow"] = ResultFormat.Arrow, ["csv"] = ResultFormat.Csv, ["parquet"] = ResultFormat.Parquet, ["json"] = ResultFormat.Json,
    };

    private static readonly IReadOnlyDictionary<string, ResultFormat> ByMediaType = new Dictionary<string, ResultFormat>(StringComparer.OrdinalIgnoreCase)
    {
        [ArrowMediaType] = ResultFormat.Arrow, ["application/vnd.apache.arrow.file"] = ResultFormat.Arrow,
        [CsvMediaType] = ResultFormat.Csv,
        [ParquetMediaType] = ResultFormat.Parquet, ["application/x-parquet"] = ResultFormat.Parquet,
        [JsonMediaType] = ResultFormat.Json,
    };

    /// <summary>The names <c>format=</c> takes.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    public static string MediaType(ResultFormat format) => format switch
    {
        ResultFormat.Csv => CsvMediaType + "; charset=utf-8",
        ResultFormat.Parquet => ParquetMediaType,
        ResultFormat.Json => JsonMediaType + "; charset=utf-8",
        _ => ArrowMediaType,
    };

    /// <summary>
    /// The format asked for: <paramref name="format"/> when given (null when it names none), else the
    /// acceptable type of highest quality (Arrow for none, <c>*/*</c> or <c>application/*</c>); null
    /// when the Accept header accepts none of them.
    /// </summary>
    public static ResultFormat? Choose(string? format, IList<string>? accept)
    {
        if (!string.IsNullOrWhiteSpace(format)) return ByName.TryGetValue(format.Trim(), out var named) ? named : null;
        if (accept is null || accept.Count == 0) return ResultFormat.Arrow;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0) return ResultFormat.Arrow;
        foreach (var type in types.OrderByDescending(t => t.Quality ?? 1.0))
        {
            if (type.Quality == 0) continue;
            var name = type.MediaType.Value ?? "";
            if (name is "*/*" or "application/*") return ResultFormat.Arrow;
            if (name == "text/*") return ResultFormat.Csv;
            if (ByMediaType.TryGetValue(name, out var found)) return found;
        }
        return null;
    }
}
