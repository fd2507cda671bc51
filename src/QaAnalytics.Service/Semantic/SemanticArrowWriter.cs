using Apache.Arrow;
using Apache.Arrow.Types;

namespace QaAnalytics.Service.Semantic;

public enum ExtraType { String, Long, Double }

/// <summary>A column an RPC adds to a semantic result (e.g. a RAG status or a divergence flag).</summary>
public sealed record ExtraColumn(string Name, ExtraType Type, Func<SemanticRow, object?> Value);

/// <summary>
/// Writes semantic blocks as record batches: keys, attributes, the measure columns (counts as Int64,
/// derived as Double), any extra columns, the comparison columns, and suppressed. The keys and
/// attributes of DuckDB's batches pass through as they came (whole, or sliced past look-back rows);
/// only the computed columns are built, and they are released once written.
/// </summary>
internal sealed class SemanticArrowWriter(ResolvedSpec spec, IReadOnlyList<ExtraColumn> extra)
{
    /// <summary>The result's schema: DuckDB's key and attribute fields when they pass through; otherwise text keys and typed attributes.</summary>
    public Schema Schema(Schema? duckDb, bool finished = false)
    {
        var heads = spec.KeyColumns.Length + spec.Attributes.Count;
        if (finished)
        {
            // DuckDB's fields as published (the outputs, then the comparison and suppressed), any extra columns between them.
            var published = heads + spec.Outputs.Length;
            return new Schema(duckDb!.FieldsList.Take(published).Concat(extra.Select(ExtraField))
                .Concat(duckDb.FieldsList.Skip(published).Take(SemanticBlock.FinishedTail(spec))).ToList(), null);
        }
        var fields = duckDb is not null
            ? duckDb.FieldsList.Take(heads).ToList()
            : spec.KeyColumns.Select(k => new Field(k, StringType.Default, true))
                .Concat(spec.Attributes.Select(a => new Field(a.Name, a.Numeric ? DoubleType.Default : StringType.Default, true))).ToList();
        fields.AddRange(spec.Outputs.Select(o => new Field(o.Column, o.IsCount ? Int64Type.Default : DoubleType.Default, true)));
        fields.AddRange(extra.Select(ExtraField));
        if (spec.Comparing)
        {
            fields.Add(new Field("previous_period", StringType.Default, true));
            foreach (var c in spec.Compared)
            {
                fields.Add(new Field($"previous_{spec.Outputs[c].Column}", DoubleType.Default, true));
                fields.Add(new Field($"change_{spec.Outputs[c].Column}", DoubleType.Default, true));
            }
        }
        fields.Add(new Field("suppressed", BooleanType.Default, true));
        return new Schema(fields, null);
    }

    private static Field ExtraField(ExtraColumn column) => new(column.Name, column.Type switch
    {
        ExtraType.Double => DoubleType.Default,
        ExtraType.Long => Int64Type.Default,
        _ => (IArrowType)StringType.Default,
    }, true);

    /// <summary>Writes the returned rows of <paramref name="block"/> to <paramref name="write"/>, then releases the arrays built for it.</summary>
    public void Write(SemanticBlock block, Schema schema, Action<RecordBatch> write)
    {
        if (block.Finished)
        {
            WriteFinished(block, schema, write);
            return;
        }
        var rows = Enumerable.Range(0, block.Length).Where(block.Kept).ToArray();
        if (rows.Length == 0) return;
        var built = new List<IArrowArray>();
        var columns = new List<IArrowArray>();
        if (block.Source is { } source)
        {
            var heads = spec.KeyColumns.Length + spec.Attributes.Count;
            for (var c = 0; c < heads; c++)
            {
                // The rows kept are the block's rows from Skip on.
                columns.Add(block.Skip == 0 ? source.Column(c) : ArrowArrayFactory.Slice(source.Column(c), block.Skip, rows.Length));
            }
        }
        else
        {
            foreach (var keys in block.Keys!) built.Add(Strings(rows, i => keys[i]));
            for (var a = 0; a < spec.Attributes.Count; a++)
            {
                var values = block.Attributes![a];
                built.Add(spec.Attributes[a].Numeric ? Doubles(rows, i => (double?)values[i]) : Strings(rows, i => (string?)values[i]));
            }
            columns.AddRange(built);
        }
        var tail = Tail(block, rows).ToList();
        built.AddRange(tail);
        columns.AddRange(tail);
        var batch = new RecordBatch(schema, columns, rows.Length);
        try
        {
            write(batch);
        }
        finally
        {
            // DuckDB's columns are released with its batch; these were made here.
            foreach (var array in built) array.Dispose();
        }
    }

    /// <summary>A finished batch: DuckDB's published columns pass through whole; only the extra columns are built.</summary>
    private void WriteFinished(SemanticBlock block, Schema schema, Action<RecordBatch> write)
    {
        if (block.Length == 0) return;
        var source = block.Source!;
        var published = spec.KeyColumns.Length + spec.Attributes.Count + spec.Outputs.Length;
        var rows = Enumerable.Range(0, block.Length).ToArray();
        var built = Extra(block, rows).ToList();
        var columns = Enumerable.Range(0, published).Select(source.Column)
            .Concat(built)
            .Concat(Enumerable.Range(published, SemanticBlock.FinishedTail(spec)).Select(source.Column)).ToList();
        try
        {
            write(new RecordBatch(schema, columns, block.Length));
        }
        finally
        {
            foreach (var array in built) array.Dispose();
        }
    }

    private IEnumerable<IArrowArray> Extra(SemanticBlock block, int[] rows)
    {
        foreach (var column in extra)
        {
            yield return column.Type switch
            {
                ExtraType.Double => Doubles(rows, i => (double?)column.Value(new SemanticRow(block, i))),
                ExtraType.Long => Longs(rows, i => (long?)column.Value(new SemanticRow(block, i))),
                _ => Strings(rows, i => (string?)column.Value(new SemanticRow(block, i))),
            };
        }
    }

    private IEnumerable<IArrowArray> Tail(SemanticBlock block, int[] rows)
    {
        for (var c = 0; c < spec.Outputs.Length; c++)
        {
            var values = block.Values[c];
            yield return spec.Outputs[c].IsCount ? Longs(rows, i => (long?)values[i]) : Doubles(rows, i => values[i]);
        }
        foreach (var column in Extra(block, rows)) yield return column;
        if (spec.Comparing)
        {
            yield return Strings(rows, i => block.PreviousPeriod![i]);
            for (var c = 0; c < spec.Compared.Length; c++)
            {
                var (now, previous) = (block.Values[spec.Compared[c]], block.Previous![c]);
                yield return Doubles(rows, i => previous[i]);
                yield return Doubles(rows, i => now[i] is { } n && previous[i] is { } p ? n - p : null);
            }
        }
        var suppressed = new BooleanArray.Builder().Reserve(rows.Length);
        foreach (var i in rows) suppressed.Append(block.Suppressed[i]);
        yield return suppressed.Build();
    }

    private static Int64Array Longs(int[] rows, Func<int, long?> value)
    {
        var builder = new Int64Array.Builder().Reserve(rows.Length);
        foreach (var i in rows) builder.Append(value(i));
        return builder.Build();
    }

    private static DoubleArray Doubles(int[] rows, Func<int, double?> value)
    {
        var builder = new DoubleArray.Builder().Reserve(rows.Length);
        foreach (var i in rows) builder.Append(value(i));
        return builder.Build();
    }

    private static StringArray Strings(int[] rows, Func<int, string?> value)
    {
        var builder = new StringArray.Builder();
        foreach (var i in rows) builder.Append(value(i));
        return builder.Build();
    }
}
