using Apache.Arrow;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// A run of result rows, column by column: the keys and attributes (a record batch DuckDB returned,
/// passed through undecoded, or columns the calculator made for rolling windows), the counts as
/// read, and what the calculator works out from them.
/// </summary>
internal sealed class SemanticBlock
{
    private readonly string?[]?[] _text;
    private readonly double?[]?[] _raw;  // by slot, read from the Arrow column when first needed

    /// <summary>
    /// A block over one of DuckDB's batches: keys and attributes stay its columns. A finished batch
    /// (<see cref="SqlPlanner.Finishes"/>) holds the published columns and nothing else.
    /// </summary>
    public SemanticBlock(ResolvedSpec spec, RecordBatch batch, bool cellKeys, bool finished = false)
    {
        Spec = spec;
        Source = batch;
        Length = batch.Length;
        Finished = finished;
        var heads = spec.KeyColumns.Length + spec.Attributes.Count;
        // Finished: exact counts are the published ones, read from the output column showing each (none for a count only read to suppress).
        RawColumns = finished
            ? Enumerable.Range(0, spec.Needed.Count).Select(m => System.Array.FindIndex(spec.Outputs, o => o.IsCount && o.Slot == m) is >= 0 and var c ? batch.Column(heads + c) : null).ToArray()
            : Enumerable.Range(0, spec.Needed.Count).Select(m => (IArrowArray?)batch.Column(heads + m)).ToArray();
        CellKeySums = cellKeys ? Enumerable.Range(0, spec.Needed.Count).Select(m => (DoubleArray)batch.Column(heads + spec.Needed.Count + m)).ToArray() : null;
        _text = new string?[heads][];
        _raw = new double?[spec.Needed.Count][];
    }

    /// <summary>The columns of a finished batch after the outputs that are published: the comparison's, then suppressed.</summary>
    public static int FinishedTail(ResolvedSpec spec) => (spec.Comparing ? 1 + 2 * spec.Compared.Length : 0) + 1;

    /// <summary>A block of rows the calculator made (rolling windows): keys, attributes and counts given whole.</summary>
    public SemanticBlock(ResolvedSpec spec, string?[][] keys, object?[][] attributes, double?[]?[] raw, double[][]? cellKeySums, bool[] dropped)
    {
        Spec = spec;
        Length = dropped.Length;
        Keys = keys;
        Attributes = attributes;
        _text = [];
        _raw = raw;
        ManagedCellKeySums = cellKeySums;
        Dropped = dropped;
    }

    public ResolvedSpec Spec { get; }

    /// <summary>DuckDB's batch whose key and attribute columns pass through; null for made rows.</summary>
    public RecordBatch? Source { get; }

    public int Length { get; }

    /// <summary>Made rows: the keys and the attributes, by column.</summary>
    public string?[][]? Keys { get; }

    public object?[][]? Attributes { get; }

    private IArrowArray?[]? RawColumns { get; }

    private DoubleArray[]? CellKeySums { get; }

    private double[][]? ManagedCellKeySums { get; }

    /// <summary>Look-back rows at the start of a block of DuckDB's batch (compared with, not returned).</summary>
    public int Skip { get; set; }

    /// <summary>Made rows: which are look-back rows (compared with, not returned).</summary>
    public bool[]? Dropped { get; }

    /// <summary>By slot: the counts after disclosure control (null = withheld or not applicable).</summary>
    public long?[][] Shown { get; set; } = [];

    /// <summary>DuckDB worked out every published column (exact figures): the calculator does nothing.</summary>
    public bool Finished { get; }

    /// <summary>By output column: the values the calculator worked out (counts exact in a double); a finished batch's are DuckDB's (<see cref="NumberReader"/>).</summary>
    public double?[][] Values { get; set; } = [];

    /// <summary>
    /// A reader of an output's values in this block, the column resolved once: DuckDB's in a finished
    /// batch (a count exact in a double), else the calculator's.
    /// </summary>
    public Func<int, double?> NumberReader(int output)
    {
        if (!Finished)
        {
            var values = Values[output];
            return i => values[i];
        }
        return Source!.Column(Spec.KeyColumns.Length + Spec.Attributes.Count + output) switch
        {
            Int64Array longs => i => longs.GetValue(i),
            DoubleArray doubles => i => doubles.GetValue(i),
            var other => throw new InvalidDataException($"Expected a number from DuckDB, got {other.Data.DataType.Name}."),
        };
    }

    /// <summary>A reader of a numeric attribute in this block, the column resolved once (no boxing per value).</summary>
    public Func<int, double?> NumericAttributeReader(int a)
    {
        if (Attributes is { } attributes)
        {
            var values = attributes[a];
            return i => (double?)values[i];
        }
        var column = (DoubleArray)Source!.Column(Spec.KeyColumns.Length + a);
        return i => column.GetValue(i);
    }

    public bool[] Suppressed { get; set; } = [];

    /// <summary>With a comparison: the previous period's label, and each compared column's value there.</summary>
    public string?[]? PreviousPeriod { get; set; }

    public double?[][]? Previous { get; set; }

    /// <summary>A row returned (not look-back).</summary>
    public bool Kept(int i) => i >= Skip && (Dropped is null || !Dropped[i]);

    /// <summary>A count as read, by slot, whole column (of a finished batch: only the counts it publishes).</summary>
    public double?[] Raw(int slot)
    {
        if (_raw[slot] is { } done) return done;
        var values = new double?[Length];
        switch (RawColumns![slot])
        {
            case DoubleArray { NullCount: 0 } array:
                var span = array.Values;
                for (var i = 0; i < values.Length; i++) values[i] = span[i];
                break;
            case DoubleArray array:
                for (var i = 0; i < values.Length; i++) values[i] = array.GetValue(i);
                break;
            case Int64Array array:
                for (var i = 0; i < values.Length; i++) values[i] = array.GetValue(i);
                break;
            default:
                throw new InvalidOperationException($"The count {Spec.Needed[slot]} is not published in this result, so DuckDB did not return it.");
        }
        return _raw[slot] = values;
    }

    /// <summary>A count's sum of record keys (0 where none).</summary>
    public double CellKeySum(int slot, int i) => ManagedCellKeySums is { } managed ? managed[slot][i] : CellKeySums![slot].GetValue(i) ?? 0;

    /// <summary>A key by position (organisation columns, period, dimensions), each column decoded whole the first time.</summary>
    public string? Key(int k, int i) => KeyColumn(k)[i];

    /// <summary>A key column by position, whole (decoded the first time).</summary>
    public string?[] KeyColumn(int k) => Keys is { } keys ? keys[k] : Text(k);

    /// <summary>An attribute by position: text, or a number for numeric attributes.</summary>
    public object? Attribute(int a, int i)
    {
        if (Attributes is { } attributes) return attributes[a][i];
        var column = Spec.KeyColumns.Length + a;
        return Spec.Attributes[a].Numeric ? ((DoubleArray)Source!.Column(column)).GetValue(i) : Text(column)[i];
    }

    /// <summary>A text column of DuckDB's batch, decoded whole: the value and offset buffers read once per column, not once per value.</summary>
    private string?[] Text(int column)
    {
        if (_text[column] is { } done) return done;
        var array = Source!.Column(column);
        var result = new string?[array.Length];
        switch (array)
        {
            case StringArray text:
                var offsets = text.ValueOffsets;
                var bytes = text.ValueBuffer.Span;
                var nulls = text.NullCount > 0;
                // Keys repeat (a period or theme on many rows): a value equal to one of the last few decoded is shared, not decoded again.
                var recent = new (int Start, int End, string Text)[8];
                var held = 0;
                for (var i = 0; i < result.Length; i++)
                {
                    if (nulls && text.IsNull(i)) continue;
                    var value = bytes[offsets[i]..offsets[i + 1]];
                    string? found = null;
                    for (var r = 0; r < held && found is null; r++)
                    {
                        if (bytes[recent[r].Start..recent[r].End].SequenceEqual(value)) found = recent[r].Text;
                    }
                    if (found is null)
                    {
                        found = System.Text.Encoding.UTF8.GetString(value);
                        recent[held < recent.Length ? held++ : i % recent.Length] = (offsets[i], offsets[i + 1], found);
                    }
                    result[i] = found;
                }
                break;
            case StringViewArray view:
                for (var i = 0; i < result.Length; i++) result[i] = view.IsNull(i) ? null : view.GetString(i);
                break;
            default:
                throw new InvalidDataException($"Expected text from DuckDB, got {array.Data.DataType.Name}.");
        }
        return _text[column] = result;
    }
}

/// <summary>One row of a semantic result, for the columns an RPC adds and statistics across rows: a position in a block, read through <see cref="SemanticQuery"/>.</summary>
public readonly record struct SemanticRow
{
    internal SemanticRow(SemanticBlock block, int index) => (Block, Index) = (block, index);

    internal SemanticBlock Block { get; }

    internal int Index { get; }
}
