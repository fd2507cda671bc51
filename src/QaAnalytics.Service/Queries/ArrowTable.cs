using Apache.Arrow;
using Apache.Arrow.Types;

namespace QaAnalytics.Service.Queries;

/// <summary>
/// A result table declared column by column and filled with rows keyed by column name (a missing
/// name is null), written as one Arrow record batch. Values: string, long, double, bool.
/// </summary>
internal sealed class ArrowTable
{
    private readonly List<(string Name, IArrowType Type)> _columns = [];
    private readonly List<IReadOnlyDictionary<string, object?>> _rows = [];

    public ArrowTable Strings(IEnumerable<string> names) => Each(names, StringType.Default);

    public ArrowTable Longs(IEnumerable<string> names) => Each(names, Int64Type.Default);

    public ArrowTable Doubles(IEnumerable<string> names) => Each(names, DoubleType.Default);

    public ArrowTable Booleans(IEnumerable<string> names) => Each(names, BooleanType.Default);

    private ArrowTable Each(IEnumerable<string> names, IArrowType type)
    {
        foreach (var name in names)
        {
            if (_columns.Any(c => c.Name == name)) throw new InvalidOperationException($"Column {name} is declared twice.");
            _columns.Add((name, type));
        }
        return this;
    }

    public void Add(IReadOnlyDictionary<string, object?> row)
    {
        foreach (var name in row.Keys.Where(n => !_columns.Any(c => c.Name == n)))
        {
            throw new InvalidOperationException($"Column {name} is not declared.");
        }
        _rows.Add(row);
    }

    public ArrowResult ToResult(IReadOnlyList<string> notes)
    {
        var fields = _columns.Select(c => new Field(c.Name, c.Type, nullable: true)).ToList();
        var arrays = _columns.Select(c => Build(c.Name, c.Type)).ToList();
        var schema = new Schema(fields, null);
        return ArrowResult.From(schema, [new RecordBatch(schema, arrays, _rows.Count)], notes);
    }

    private IArrowArray Build(string name, IArrowType type)
    {
        var values = _rows.Select(r => r.TryGetValue(name, out var v) ? v : null);
        switch (type)
        {
            case StringType:
                var strings = new StringArray.Builder();
                foreach (var v in values) strings.Append((string?)v);
                return strings.Build();
            case Int64Type:
                var longs = new Int64Array.Builder();
                foreach (var v in values) { if (v is null) longs.AppendNull(); else longs.Append((long)v); }
                return longs.Build();
            case DoubleType:
                var doubles = new DoubleArray.Builder();
                foreach (var v in values) { if (v is null) doubles.AppendNull(); else doubles.Append((double)v); }
                return doubles.Build();
            default:
                var booleans = new BooleanArray.Builder();
                foreach (var v in values) { if (v is null) booleans.AppendNull(); else booleans.Append((bool)v); }
                return booleans.Build();
        }
    }
}
