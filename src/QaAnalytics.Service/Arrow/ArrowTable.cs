using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// A result table declared column by column and filled row by row (by column name, a missing name
/// is null), appended straight into Arrow builders and written as one record batch.
/// Values: string, long, double, bool.
/// </summary>
internal sealed class ArrowTable
{
    private readonly List<Column> _columns = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private int _rows;

    public ArrowTable Strings(IEnumerable<string> names) => Each(names, n => new StringColumn(n));

    public ArrowTable Longs(IEnumerable<string> names) => Each(names, n => new LongColumn(n));

    public ArrowTable Doubles(IEnumerable<string> names) => Each(names, n => new DoubleColumn(n));

    public ArrowTable Booleans(IEnumerable<string> names) => Each(names, n => new BoolColumn(n));

    private ArrowTable Each(IEnumerable<string> names, Func<string, Column> create)
    {
        foreach (var name in names)
        {
            if (!_index.TryAdd(name, _columns.Count)) throw new InvalidOperationException($"Column {name} is declared twice.");
            _columns.Add(create(name));
        }
        return this;
    }

    public void Add(IReadOnlyDictionary<string, object?> row)
    {
        foreach (var name in row.Keys.Where(n => !_index.ContainsKey(n)))
        {
            throw new InvalidOperationException($"Column {name} is not declared.");
        }
        foreach (var column in _columns) column.Append(row.TryGetValue(column.Name, out var v) ? v : null);
        _rows++;
    }

    public ArrowResult ToResult(IReadOnlyList<string> notes)
    {
        var schema = new Schema(_columns.Select(c => new Field(c.Name, c.Type, nullable: true)), null);
        return ArrowResult.From(schema, [new RecordBatch(schema, _columns.Select(c => c.Build()), _rows)], notes);
    }

    private abstract class Column(string name, IArrowType type)
    {
        public string Name { get; } = name;

        public IArrowType Type { get; } = type;

        public abstract void Append(object? value);

        public abstract IArrowArray Build();
    }

    private sealed class StringColumn(string name) : Column(name, StringType.Default)
    {
        private readonly StringArray.Builder _builder = new();

        public override void Append(object? value) => _builder.Append(value as string ?? (value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture)));

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class LongColumn(string name) : Column(name, Int64Type.Default)
    {
        private readonly Int64Array.Builder _builder = new();

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append(value is long l ? l : Convert.ToInt64(value, CultureInfo.InvariantCulture));
        }

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class DoubleColumn(string name) : Column(name, DoubleType.Default)
    {
        private readonly DoubleArray.Builder _builder = new();

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append(value is double d ? d : Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class BoolColumn(string name) : Column(name, BooleanType.Default)
    {
        private readonly BooleanArray.Builder _builder = new();

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append((bool)value);
        }

        public override IArrowArray Build() => _builder.Build();
    }
}
