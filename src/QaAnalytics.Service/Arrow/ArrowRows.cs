using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// The service reading its own Arrow results back as values (the evidence pack, the CSV and JSON
/// writers, the OData feed): the types the service writes, and nothing a client needs.
/// </summary>
public static class ArrowRows
{
    /// <summary>The rows of one Arrow IPC stream given as its chunks, by column name.</summary>
    public static List<Dictionary<string, object?>> Rows(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        using var bytes = new MemoryStream();
        foreach (var chunk in chunks) bytes.Write(chunk.Span);
        bytes.Position = 0;
        using var reader = new ArrowStreamReader(bytes);
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
        return Rows(batches);
    }

    /// <summary>Rows by column name, disposing each batch.</summary>
    public static List<Dictionary<string, object?>> Rows(IEnumerable<RecordBatch> batches)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var batch in batches)
        {
            using (batch)
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var c = 0; c < batch.ColumnCount; c++) row[batch.Schema.GetFieldByIndex(c).Name] = Value(batch.Column(c), r);
                    rows.Add(row);
                }
            }
        }
        return rows;
    }

    /// <summary>The value at <paramref name="index"/> of an array of a type the service writes (null when null).</summary>
    public static object? Value(IArrowArray array, int index) => array.IsNull(index) ? null : array switch
    {
        StringArray s => s.GetString(index),
        Int64Array i => i.GetValue(index),
        Int32Array i => i.GetValue(index),
        Int16Array i => i.GetValue(index),
        Int8Array i => i.GetValue(index),
        UInt8Array i => i.GetValue(index),
        DoubleArray d => d.GetValue(index),
        FloatArray f => (double?)f.GetValue(index),
        BooleanArray b => b.GetValue(index),
        Date32Array d => d.GetDateOnly(index),
        TimestampArray t => t.GetTimestamp(index),
        _ => throw new NotSupportedException($"Arrow type {array.Data.DataType.Name} is not read by this service."),
    };
}
