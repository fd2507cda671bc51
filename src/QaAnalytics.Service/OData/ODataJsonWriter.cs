using System.Globalization;
using System.Text.Json;
using Microsoft.OData.Edm;

namespace QaAnalytics.Service.OData;

/// <summary>OData v4 JSON (minimal metadata) for a page of an entity set, and the error body.</summary>
public static class ODataJsonWriter
{
    public const string ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static async Task WritePageAsync(Stream body, string context, long? count, IReadOnlyList<ODataColumn> columns, IReadOnlyList<int> selected,
        IEnumerable<object?[]> rows, string? nextLink, CancellationToken ct)
    {
        // Validation off: the writer's structure is fixed here, and checking it costs per value.
        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        json.WriteStartObject();
        json.WriteString("@odata.context", context);
        if (count is { } n) json.WriteNumber("@odata.count", n);
        json.WriteStartArray("value");
        // Property names escaped once per page, not once per cell.
        var names = selected.Select(c => JsonEncodedText.Encode(columns[c].Name)).ToArray();
        var written = 0;
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                var c = selected[i];
                json.WritePropertyName(names[i]);
                Value(json, columns[c].Kind, row[c]);
            }
            json.WriteEndObject();
            if (++written % 2000 == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        if (nextLink is not null) json.WriteString("@odata.nextLink", nextLink);
        json.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter json, EdmPrimitiveTypeKind kind, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case double d: json.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "INF" : "-INF"); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: json.WriteStringValue(t); break;
            default: json.WriteStringValue(kind == EdmPrimitiveTypeKind.String ? Convert.ToString(value, CultureInfo.InvariantCulture) : value.ToString()); break;
        }
    }

    public static async Task WriteErrorAsync(HttpResponse response, int status, string code, string message, string? target)
    {
        response.StatusCode = status;
        response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("code", code);
        json.WriteString("message", message);
        if (target is not null) json.WriteString("target", target);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
