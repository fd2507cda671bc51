using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;
using QaAnalytics.Models.Csv;
using QaAnalytics.Models.Export;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Service.Http;

/// <summary>
/// Writes one computed table to an HTTP response in the format asked for. Arrow is the gRPC bytes
/// as they are; CSV, Parquet and JSON are decoded from them batch by batch, so every format shows
/// exactly the cells the RPC does (withheld cells are empty / null in all of them).
/// </summary>
public static class ResultWriter
{
    public static async Task WriteAsync(TableResult table, ResultFormat format, HttpResponse response, CancellationToken ct)
    {
        response.ContentType = ResultFormats.MediaType(format);
        response.Headers["X-Table"] = table.Table;
        response.Headers["X-Snapshot-Id"] = table.Snapshot.Id;
        response.Headers["X-Snapshot-Created-At"] = DateTime.SpecifyKind(table.Snapshot.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
        response.Headers["X-Row-Count"] = table.Result.RowCount.ToString(CultureInfo.InvariantCulture);
        // Notes (the suppression rule, what a share is of) are text with dashes and such; headers are ASCII.
        response.Headers["X-Notes"] = table.Result.Notes.Select(Uri.EscapeDataString).ToArray();
        if (format != ResultFormat.Json)
        {
            var extension = format switch { ResultFormat.Csv => "csv", ResultFormat.Parquet => "parquet", _ => "arrows" };
            response.Headers.ContentDisposition = $"inline; filename=\"{table.Table}.{extension}\"";
        }
        switch (format)
        {
            case ResultFormat.Csv: await WriteCsvAsync(table.Result, response.Body, ct); break;
            case ResultFormat.Parquet: await WriteParquetAsync(table.Result, response.Body, ct); break;
            case ResultFormat.Json: await WriteJsonAsync(table, response.Body, ct); break;
            default:
                response.ContentLength = table.Result.Bytes;
                foreach (var chunk in table.Result.Chunks) await response.Body.WriteAsync(chunk, ct);
                break;
        }
    }

    /// <summary>The record batches of a result (the caller disposes each), decoded from its IPC stream.</summary>
    public static async IAsyncEnumerable<RecordBatch> Batches(ArrowResult result, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new ArrowStreamReader(new ArrowResultStream(result));
        while (await reader.ReadNextRecordBatchAsync(ct) is { } batch) yield return batch;
    }

    /// <summary>The schema of a result (also when it has no rows).</summary>
    public static Schema SchemaOf(ArrowResult result)
    {
        using var reader = new ArrowStreamReader(new ArrowResultStream(result));
        return reader.Schema;
    }

    /// <summary>
    /// CSV as Excel opens it (UTF-8 with a byte-order mark): text cells through <see cref="FormulaGuard"/>,
    /// numbers in invariant culture (they stay numbers), dates yyyy-mm-dd, null as an empty cell.
    /// Written per batch into a buffer, then copied out asynchronously (Kestrel allows no synchronous writes).
    /// </summary>
    private static async Task WriteCsvAsync(ArrowResult result, Stream body, CancellationToken ct)
    {
        var schema = SchemaOf(result);
        using var buffer = new MemoryStream();
        using var csv = new CsvWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), [.. schema.FieldsList.Select(f => f.Name)], leaveOpen: true);
        await Flush();
        await foreach (var batch in Batches(result, ct))
        {
            using (batch)
            {
                var cells = new string?[batch.ColumnCount];
                for (var r = 0; r < batch.Length; r++)
                {
                    for (var c = 0; c < batch.ColumnCount; c++) cells[c] = CsvCell(ArrowRows.Value(batch.Column(c), r));
                    csv.WriteRow(cells);
                }
            }
            await Flush();
        }

        async Task Flush()
        {
            await csv.FlushAsync();
            await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
            buffer.SetLength(0);
        }
    }

    private static string? CsvCell(object? value) => value switch
    {
        null => null,
        string s => FormulaGuard.Neutralise(s),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => FormulaGuard.Neutralise(value.ToString()),
    };

    /// <summary>Parquet, one row group per Arrow batch, every column nullable (a withheld cell is null), types kept.</summary>
    private static async Task WriteParquetAsync(ArrowResult result, Stream body, CancellationToken ct)
    {
        var arrowSchema = SchemaOf(result);
        var fields = arrowSchema.FieldsList.Select(ParquetField).ToArray();
        // The writer seeks back to finish the file; a response body cannot.
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, cancellationToken: ct))
        {
            await foreach (var batch in Batches(result, ct))
            {
                using (batch)
                {
                    using var group = writer.CreateRowGroup();
                    for (var c = 0; c < fields.Length; c++) await WriteColumnAsync(group, fields[c], batch.Column(c), ct);
                }
            }
        }
        await body.WriteAsync(file.GetBuffer().AsMemory(0, (int)file.Length), ct);
    }

    private static DataField ParquetField(Apache.Arrow.Field field) => field.DataType.TypeId switch
    {
        ArrowTypeId.Int64 => new DataField(field.Name, typeof(long), isNullable: true),
        ArrowTypeId.Int32 or ArrowTypeId.Int16 or ArrowTypeId.Int8 or ArrowTypeId.UInt8 => new DataField(field.Name, typeof(int), isNullable: true),
        ArrowTypeId.Double or ArrowTypeId.Float => new DataField(field.Name, typeof(double), isNullable: true),
        ArrowTypeId.Boolean => new DataField(field.Name, typeof(bool), isNullable: true),
        ArrowTypeId.Date32 => new DataField(field.Name, typeof(DateOnly), isNullable: true),
        ArrowTypeId.Timestamp => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, isNullable: true),
        _ => new DataField(field.Name, typeof(string), isNullable: true),
    };

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, IArrowArray array, CancellationToken ct)
    {
        var n = array.Length;
        var values = Enumerable.Range(0, n).Select(i => ArrowRows.Value(array, i));
        return field.ClrType switch
        {
            var t when t == typeof(long) => group.WriteAsync(field, new ReadOnlyMemory<long?>([.. values.Select(v => (long?)v)]), null, null, ct),
            var t when t == typeof(int) => group.WriteAsync(field, new ReadOnlyMemory<int?>([.. values.Select(v => v is null ? (int?)null : Convert.ToInt32(v, CultureInfo.InvariantCulture))]), null, null, ct),
            var t when t == typeof(double) => group.WriteAsync(field, new ReadOnlyMemory<double?>([.. values.Select(v => (double?)v)]), null, null, ct),
            var t when t == typeof(bool) => group.WriteAsync(field, new ReadOnlyMemory<bool?>([.. values.Select(v => (bool?)v)]), null, null, ct),
            var t when t == typeof(DateOnly) => group.WriteAsync(field, new ReadOnlyMemory<DateOnly?>([.. values.Select(v => (DateOnly?)v)]), null, null, ct),
            var t when t == typeof(DateTime) => group.WriteAsync(field, new ReadOnlyMemory<DateTime?>([.. values.Select(v => ((DateTimeOffset?)v)?.UtcDateTime)]), null, null, ct),
            _ => group.WriteAsync(field, values.Select(v => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture)).ToArray(), null),
        };
    }

    /// <summary>
    /// <c>{"table", "snapshot_id", "snapshot_created_at", "row_count", "notes", "rows": [{column: value}]}</c>;
    /// a withheld cell is null.
    /// </summary>
    private static async Task WriteJsonAsync(TableResult table, Stream body, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("table", table.Table);
        json.WriteString("snapshot_id", table.Snapshot.Id);
        json.WriteString("snapshot_created_at", DateTime.SpecifyKind(table.Snapshot.CreatedAt, DateTimeKind.Utc));
        json.WriteNumber("row_count", table.Result.RowCount);
        json.WriteStartArray("notes");
        foreach (var note in table.Result.Notes) json.WriteStringValue(note);
        json.WriteEndArray();
        json.WriteStartArray("rows");
        await foreach (var batch in Batches(table.Result, ct))
        {
            using (batch)
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    json.WriteStartObject();
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        json.WritePropertyName(batch.Schema.GetFieldByIndex(c).Name);
                        WriteJsonValue(json, ArrowRows.Value(batch.Column(c), r));
                    }
                    json.WriteEndObject();
                }
            }
            await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case double: json.WriteNullValue(); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: json.WriteStringValue(t); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
