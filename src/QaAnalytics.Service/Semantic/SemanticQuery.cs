using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Queries;

namespace QaAnalytics.Service.Semantic;

/// <summary>An output column and the measure (count or derived) it shows.</summary>
public sealed record MeasureColumn(string Column, string Measure);

/// <summary>What to compute: measures by organisation level, time grain and dimensions, filtered.</summary>
public sealed record SemanticSpec
{
    public required IReadOnlyList<MeasureColumn> Columns { get; init; }

    public required OrgLevel GroupBy { get; init; }

    public required TimeGrain Grain { get; init; }

    public Scope? Scope { get; init; }

    public PeriodRange? Period { get; init; }

    /// <summary>Dimensions after period, in order.</summary>
    public IReadOnlyList<string> Dimensions { get; init; } = [];

    /// <summary>Dimension → values a row must have (parameters, never SQL text).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Output columns compared with the unit's previous period (previous_X, change_X).</summary>
    public IReadOnlyList<string> Compare { get; init; } = [];

    /// <summary>Sources that lack some of the dimensions and are repeated onto each row that has them (e.g. complaints on each theme row).</summary>
    public IReadOnlySet<string> Repeated { get; init; } = new HashSet<string>();
}

/// <summary>
/// One row of a semantic result: a row of a record batch DuckDB returned (its keys and attributes
/// read only when asked for, and otherwise passed through to the result as they are), or a row
/// the query made (a rolling window).
/// </summary>
public sealed class SemanticRow
{
    private string?[]? _keys;
    private object?[]? _attributes;

    internal SemanticRow(string?[] keys, object?[] attributes, double?[] raw, double[]? cellKeys)
    {
        _keys = keys;
        _attributes = attributes;
        Raw = raw;
        CellKeySums = cellKeys;
    }

    internal SemanticRow(BatchText text, int index, int keyCount, bool[] numericAttributes, double?[] raw, double[]? cellKeys)
    {
        Text = text;
        Index = index;
        KeyCount = keyCount;
        NumericAttributes = numericAttributes;
        Raw = raw;
        CellKeySums = cellKeys;
    }

    internal RecordBatch? Batch => Text?.Batch;

    private BatchText? Text { get; }

    internal int Index { get; }

    private int KeyCount { get; }

    private bool[] NumericAttributes { get; } = [];

    /// <summary>Organisation columns, period, then the dimensions.</summary>
    public string?[] Keys
    {
        get
        {
            if (_keys is null)
            {
                _keys = new string?[KeyCount];
                for (var k = 0; k < KeyCount; k++) _keys[k] = Text!.Get(k, Index);
            }
            return _keys;
        }
    }

    /// <summary>One key by position, without decoding the others.</summary>
    internal string? Key(int k) => _keys is { } keys ? keys[k] : Text!.Get(k, Index);

    public object?[] Attributes => _attributes ??= Enumerable.Range(0, NumericAttributes.Length)
        .Select(a => NumericAttributes[a] ? ((DoubleArray)Batch!.Column(KeyCount + a)).GetValue(Index) : (object?)Text!.Get(KeyCount + a, Index))
        .ToArray();

    /// <summary>The needed counts and sums as counted (before suppression), by the plan's order.</summary>
    internal double?[] Raw { get; }

    /// <summary>Each count's sum of record keys (by the plan's order), when the counts are perturbed; null otherwise.</summary>
    internal double[]? CellKeySums { get; }

    /// <summary>The counts after suppression (null = withheld or not applicable), by the plan's order.</summary>
    internal long?[] Shown { get; set; } = [];

    /// <summary>The output columns' values.</summary>
    public object?[] Values { get; internal set; } = [];

    public bool Suppressed { get; internal set; }

    public string? PreviousPeriod { get; internal set; }

    public double?[] Previous { get; internal set; } = [];

    internal bool Lookback { get; set; }
}

/// <summary>
/// The text columns of one of DuckDB's record batches, each decoded whole the first time a value of
/// it is needed: reading the value and offset buffers once per column rather than once per value.
/// </summary>
internal sealed class BatchText(RecordBatch batch)
{
    private readonly string?[]?[] _columns = new string?[batch.ColumnCount][];

    public RecordBatch Batch => batch;

    public string? Get(int column, int index) => (_columns[column] ??= Decode(batch.Column(column)))[index];

    private static string?[] Decode(IArrowArray array)
    {
        var result = new string?[array.Length];
        switch (array)
        {
            case StringArray text:
                var offsets = text.ValueOffsets;
                var bytes = text.ValueBuffer.Span;
                var nulls = text.NullCount > 0;
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = nulls && text.IsNull(i) ? null : System.Text.Encoding.UTF8.GetString(bytes[offsets[i]..offsets[i + 1]]);
                }
                break;
            case StringViewArray view:
                for (var i = 0; i < result.Length; i++) result[i] = view.IsNull(i) ? null : view.GetString(i);
                break;
            default:
                throw new InvalidDataException($"Expected text from DuckDB, got {array.Data.DataType.Name}.");
        }
        return result;
    }
}

/// <summary>
/// Computes measures of the semantic model (<see cref="QaModel"/>): one SQL query with a CTE per
/// source (counts grouped by the keys), joined on the keys; then, per row, rolling windows (sums of
/// months), small-number suppression over every partition the counts belong to, the derived
/// measures from the shown counts, and the change against the unit's previous period.
/// </summary>
public sealed class SemanticQuery : IDisposable
{
    private readonly List<RecordBatch> _batches = [];

    private readonly SemanticSpec _spec;
    private readonly string[] _org;
    private readonly List<string> _needed;            // counts and sums, SQL order
    private readonly Dictionary<string, int> _slot;
    private readonly List<string> _sources;
    private readonly List<(string Name, bool Numeric)> _attributes;
    private readonly DateOnly _from;
    private readonly DateOnly _to;
    private readonly (int Total, int[] Members, bool WithRemainder)[] _partitions;
    private readonly bool[] _disclosive;              // by slot: a count that small-number suppression applies to
    private readonly (DerivedMeasure? Derived, int Slot, int[] CountInputs)[] _outputs;
    private readonly int[] _compared;                 // output column index of each compared column
    private readonly Dictionary<string, int> _attributeIndex;
    private SemanticRow? _current;                    // the row derived measures are computed on (a query runs on one thread)
    private MeasureRow? _view;
    private bool _perturbed;                          // counts perturbed by the cell key method (outside the council)

    public SemanticQuery(SemanticSpec spec)
    {
        _spec = spec;
        _org = QueryArguments.OrgColumns(spec.GroupBy);
        (_from, _to) = QueryArguments.Months(spec.Period);
        if (spec.Grain is not (TimeGrain.Unspecified or TimeGrain.Month or TimeGrain.FinancialQuarter or TimeGrain.FinancialYear or TimeGrain.All or TimeGrain.Rolling12Months))
        {
            throw new BadArgumentException("grain", $"unknown time grain {(int)spec.Grain}");
        }
        foreach (var column in spec.Columns)
        {
            if (!QaModel.Counts.ContainsKey(column.Measure) && !QaModel.Derived.ContainsKey(column.Measure))
            {
                throw new NotFoundException($"measures: {column.Measure} is not a measure of the semantic model (see the catalogue's measures table)");
            }
        }
        foreach (var dimension in spec.Dimensions.Concat(spec.Filters.Keys).Where(d => !QaModel.Dimensions.ContainsKey(d) && !IsOrgDimension(d)))
        {
            throw new BadArgumentException("dimensions", $"'{dimension}' is not a dimension; use {string.Join(", ", QaModel.Dimensions.Keys)}");
        }

        _needed = Closure(spec.Columns.Select(c => c.Measure));
        _slot = _needed.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        _sources = _needed.Select(m => QaModel.Counts[m].Source).Distinct().OrderBy(s => spec.Repeated.Contains(s)).ToList();
        foreach (var source in _sources.Select(s => QaModel.Sources[s]))
        {
            foreach (var dimension in spec.Dimensions.Where(d => !source.Dimensions.ContainsKey(d) && !spec.Repeated.Contains(source.Name)))
            {
                throw new BadArgumentException("dimensions", $"'{dimension}' does not apply to the {source.Name} measures ({source.Description.ToLowerInvariant()})");
            }
            foreach (var filter in spec.Filters.Keys.Where(d => !IsOrgDimension(d) && !source.Dimensions.ContainsKey(d)))
            {
                throw new BadArgumentException("filters", $"'{filter}' does not apply to the {source.Name} measures ({source.Description.ToLowerInvariant()})");
            }
        }
        // An attribute that is also a key or comes with two dimensions (kpi_code and target come with theme and kpi_code) appears once.
        _attributes = spec.Dimensions.SelectMany(d => QaModel.Dimensions[d].Attributes).Select(a => (a.Name, a.Numeric))
            .Where(a => !spec.Dimensions.Contains(a.Name)).DistinctBy(a => a.Name).ToList();
        _attributeIndex = _attributes.Select((a, i) => (a.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

        // Worked out once, used for every row.
        _partitions = QaModel.Partitions.Where(p => _slot.ContainsKey(p.Total))
            .Select(p => (_slot[p.Total], p.Members.Select(m => _slot[m]).ToArray(), p.WithRemainder)).ToArray();
        _disclosive = _needed.Select(m => QaModel.Counts[m].IsCount && !QaModel.NotDisclosive.Contains(m)).ToArray();
        _outputs = spec.Columns.Select(c => QaModel.Derived.TryGetValue(c.Measure, out var derived)
            ? (derived, -1, derived.Inputs.Where(i => QaModel.Counts.TryGetValue(i, out var count) && count.IsCount).Select(i => _slot[i]).ToArray())
            : ((DerivedMeasure?)null, _slot[c.Measure], System.Array.Empty<int>())).ToArray();
        var columnNames = spec.Columns.Select(c => c.Column).ToList();
        _compared = spec.Compare.Select(name => columnNames.IndexOf(name) is >= 0 and var i ? i
            : throw new InvalidOperationException($"Compared column {name} is not in the query.")).ToArray();
    }

    public string[] KeyColumns => [.. _org, "period", .. _spec.Dimensions];

    /// <summary>Every count a set of measures needs, with every count of each partition it belongs to (so suppression is the same whatever is asked).</summary>
    private static List<string> Closure(IEnumerable<string> measures)
    {
        var needed = new List<string>();
        var queue = new Queue<string>(measures);
        while (queue.TryDequeue(out var measure))
        {
            if (needed.Contains(measure)) continue;
            if (QaModel.Derived.TryGetValue(measure, out var derived))
            {
                foreach (var input in derived.Inputs) queue.Enqueue(input);
                continue;
            }
            needed.Add(measure);
            foreach (var partition in QaModel.Partitions.Where(p => p.Total == measure || p.Members.Contains(measure)))
            {
                queue.Enqueue(partition.Total);
                foreach (var member in partition.Members) queue.Enqueue(member);
            }
        }
        return needed;
    }

    private static bool IsOrgDimension(string name) => name is "la_code" or "service_area" or "team_id";

    /// <summary>Runs the query on a snapshot and computes every row.</summary>
    public async Task<List<SemanticRow>> RunAsync(DuckDBConnection connection, Disclosure policy, CancellationToken ct)
    {
        _perturbed = policy.Perturbed;
        var (sql, parameters, lookbackLabel) = Plan(cellKeys: _perturbed);
        var rows = await ReadAsync(connection, sql, parameters, ct);
        if (_spec.Grain == TimeGrain.Rolling12Months)
        {
            rows = RollingWindows(rows, _spec.Compare.Count > 0 ? _from.AddMonths(-1) : _from);
        }
        else if (lookbackLabel is not null)
        {
            // Look-back rows come first (ORDER BY): mark them up to the first row of the range.
            foreach (var row in rows)
            {
                if (row.Key(_org.Length) != lookbackLabel) break;
                row.Lookback = true;
            }
        }
        foreach (var row in rows) Disclose(row, policy);
        foreach (var row in rows) Compute(row);
        if (_spec.Compare.Count > 0) ComparePrevious(rows);
        rows.RemoveAll(r => r.Lookback);
        return rows;
    }

    /// <summary>
    /// The one SQL statement the query runs, with its parameters. Rolling windows read months from
    /// 11 before the first window (12 when comparing); a comparison also reads the whole period
    /// before the range (whose rows are only compared with, then dropped), and nothing in between.
    /// </summary>
    public (string Sql, Dictionary<string, object?> Parameters, string? LookbackLabel) Plan(bool cellKeys = false)
    {
        var compare = _spec.Compare.Count > 0;
        var parameters = new Dictionary<string, object?> { ["until"] = _to.AddMonths(1) };
        if (_spec.Grain == TimeGrain.Rolling12Months)
        {
            parameters["from"] = _from.AddMonths(compare ? -12 : -11);
            return (Sql(TimeGrain.Month, parameters, lookback: false, cellKeys), parameters, null);
        }
        parameters["from"] = _from;
        if (compare && PeriodLabels.Lookback(_spec.Grain, _from) is { } back && back.From >= QueryArguments.Earliest)
        {
            parameters["back_from"] = back.From;
            parameters["back_until"] = back.To.AddMonths(1);
            parameters["back_label"] = PeriodLabels.Label(_spec.Grain, back.From);
            return (Sql(_spec.Grain, parameters, lookback: true, cellKeys), parameters, (string)parameters["back_label"]!);
        }
        return (Sql(_spec.Grain, parameters, lookback: false, cellKeys), parameters, null);
    }

    /// <summary>Reads the result as Arrow straight from DuckDB; each row keeps its batch, so keys need not be decoded.</summary>
    private async Task<List<SemanticRow>> ReadAsync(DuckDBConnection connection, string sql, Dictionary<string, object?> parameters, CancellationToken ct)
    {
        var (_, batches) = await DuckDbArrow.ReadAsync(connection, sql, parameters, ct);
        _batches.AddRange(batches);
        var keyCount = KeyColumns.Length;
        var numeric = _attributes.Select(a => a.Numeric).ToArray();
        var rows = new List<SemanticRow>();
        foreach (var batch in batches)
        {
            var text = new BatchText(batch);
            var measures = Enumerable.Range(0, _needed.Count).Select(m => (DoubleArray)batch.Column(keyCount + numeric.Length + m)).ToArray();
            var keys = _perturbed ? Enumerable.Range(0, _needed.Count).Select(m => (DoubleArray)batch.Column(keyCount + numeric.Length + _needed.Count + m)).ToArray() : null;
            for (var i = 0; i < batch.Length; i++)
            {
                var raw = new double?[measures.Length];
                for (var m = 0; m < raw.Length; m++) raw[m] = measures[m].GetValue(i);
                double[]? cellKeys = null;
                if (keys is not null)
                {
                    cellKeys = new double[keys.Length];
                    for (var m = 0; m < cellKeys.Length; m++) cellKeys[m] = keys[m].GetValue(i) ?? 0;
                }
                rows.Add(new SemanticRow(text, i, keyCount, numeric, raw, cellKeys));
            }
        }
        return rows;
    }

    /// <summary>The SQL: one CTE per source, joined on the keys they share. Identifiers come from the model; values are parameters.</summary>
    private string Sql(TimeGrain grain, Dictionary<string, object?> parameters, bool lookback, bool cellKeys)
    {
        var period = QueryArguments.PeriodColumn(grain);
        var scope = QueryArguments.ScopeFilter(_spec.Scope, parameters);
        var filterIndex = 0;
        var ctes = new List<string>();
        var joined = new List<string>();
        var from = new System.Text.StringBuilder();
        var attributeSources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, i) in _sources.Select((s, i) => (s, i)))
        {
            var source = QaModel.Sources[name];
            var dims = _spec.Dimensions.Where(source.Dimensions.ContainsKey).ToList();
            var select = new List<string>(_org) { $"{period} AS period" };
            select.AddRange(dims.Select(d => $"{source.Dimensions[d].Column} AS {d}"));
            var attributes = dims.SelectMany(d => QaModel.Dimensions[d].Attributes).Select(a => a.Name).Where(a => !_spec.Dimensions.Contains(a)).Distinct().ToList();
            select.AddRange(attributes);
            foreach (var attribute in attributes) (attributeSources.TryGetValue(attribute, out var list) ? list : attributeSources[attribute] = []).Add($"s{i}");
            select.AddRange(_needed.Where(m => QaModel.Counts[m].Source == name).Select(m => $"CAST({QaModel.Counts[m].Sql} AS DOUBLE) AS {m}"));
            if (cellKeys) select.AddRange(_needed.Where(m => QaModel.Counts[m].Source == name).Select(m => $"{CellKeySql(m)} AS ck_{m}"));
            var date = source.DateColumn;
            var where = new List<string>
            {
                (lookback ? $"(({date} >= $from AND {date} < $until) OR ({date} >= $back_from AND {date} < $back_until))" : $"{date} >= $from AND {date} < $until") + scope,
            };
            where.AddRange(dims.Select(d => source.Dimensions[d].WhenGrouped).OfType<string>());
            if (_org.Length > 1 && source.BelowCouncil is { } below) where.Add(below);
            foreach (var (dimension, values) in _spec.Filters)
            {
                var column = IsOrgDimension(dimension) ? dimension : source.Dimensions[dimension].Column;
                var names = values.Select(v =>
                {
                    var p = $"f_{filterIndex++}";
                    parameters[p] = v;
                    return "$" + p;
                });
                where.Add($"{column} IN ({string.Join(", ", names)})");
            }
            ctes.Add($"s{i} AS (\n  SELECT {string.Join(", ", select)}\n  FROM {source.From} AS src\n  WHERE {string.Join(" AND ", where)}\n  GROUP BY ALL)");

            var keys = _org.Append("period").Concat(dims).ToList();
            if (i == 0)
            {
                from.Append("s0");
            }
            else
            {
                var on = keys.Where(k => joined.Contains(k));
                from.Append(_spec.Repeated.Contains(name) ? " LEFT JOIN " : " FULL JOIN ").Append($"s{i} USING ({string.Join(", ", on)})");
            }
            joined.AddRange(keys.Where(k => !joined.Contains(k)));
        }
        var outputs = KeyColumns
            .Concat(_attributes.Select(a => attributeSources[a.Name] is [var only] ? $"{only}.{a.Name}" : $"coalesce({string.Join(", ", attributeSources[a.Name].Select(s => $"{s}.{a.Name}"))}) AS {a.Name}"))
            .Concat(_needed.Select(m => QaModel.Counts[m].ZeroWhenMissing ? $"coalesce({m}, 0) AS {m}" : m))
            .Concat(cellKeys ? _needed.Select(m => $"coalesce(ck_{m}, 0) AS ck_{m}") : []);
        // Look-back rows first: they are dropped after the comparison, and the rest pass through as whole batches or slices.
        var order = (lookback ? "period = $back_label DESC, " : "") + string.Join(", ", KeyColumns);
        return $"WITH {string.Join(",\n", ctes)}\nSELECT {string.Join(", ", outputs)}\nFROM {from}\nORDER BY {order}";
    }

    /// <summary>
    /// Sums each unit's months over the twelve months ending at every month from
    /// <paramref name="firstEnd"/> to the end of the range (windows before the range are look-back
    /// rows for the comparison); a window with no data is left out.
    /// </summary>
    private List<SemanticRow> RollingWindows(List<SemanticRow> months, DateOnly firstEnd)
    {
        var periodIndex = _org.Length;
        var result = new List<SemanticRow>();
        foreach (var unit in months.GroupBy(r => UnitKey(r.Keys), StringComparer.Ordinal))
        {
            var byMonth = unit.ToDictionary(r => DateOnly.ParseExact(r.Keys[periodIndex] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));
            var last = byMonth.Keys.Max();
            var sample = unit.First();
            var attributes = Enumerable.Range(0, _attributes.Count).Select(a => unit.Select(r => r.Attributes[a]).FirstOrDefault(v => v is not null)).ToArray();
            for (var end = firstEnd; end <= _to && end <= last.AddMonths(11); end = end.AddMonths(1))
            {
                var window = Enumerable.Range(0, 12).Select(i => end.AddMonths(-i)).Where(byMonth.ContainsKey).Select(m => byMonth[m]).ToList();
                if (window.Count == 0) continue;
                var keys = (string?[])sample.Keys.Clone();
                keys[periodIndex] = PeriodLabels.RollingLabel(end);
                var raw = new double?[_needed.Count];
                var cellKeys = _perturbed ? new double[_needed.Count] : null;
                for (var m = 0; m < raw.Length; m++)
                {
                    var values = window.Select(r => r.Raw[m]).Where(v => v is not null).ToList();
                    raw[m] = values.Count == 0 ? null : values.Sum();
                    if (cellKeys is not null) cellKeys[m] = window.Sum(r => r.CellKeySums![m]);
                }
                result.Add(new SemanticRow(keys, attributes, raw, cellKeys) { Lookback = end < _from });
            }
        }
        return result;
    }

    /// <summary>The keys of a row but its period, as one string.</summary>
    private string UnitKey(string?[] keys)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < keys.Length; i++)
        {
            if (i == _org.Length) continue;
            builder.Append(keys[i] ?? "\u0000").Append('\u001f');
        }
        return builder.ToString();
    }

    /// <summary>The cell key of a count: counts of records have one; sums of scores or values are not counts and have none.</summary>
    private string CellKeySql(string measure) =>
        _disclosive[_slot[measure]] ? CellKey.Sql(QaModel.Counts[measure].Sql) : "CAST(0 AS DOUBLE)";

    /// <summary>
    /// Perturbed counts (outside the council: every count of records by its own cell key, nothing
    /// withheld); otherwise suppression over every partition in the model's order, then lone small counts.
    /// </summary>
    private void Disclose(SemanticRow row, Disclosure policy)
    {
        var shown = new long?[_needed.Count];
        if (policy.Perturbed)
        {
            for (var m = 0; m < shown.Length; m++)
            {
                shown[m] = row.Raw[m] is not { } v ? null
                    : _disclosive[m] ? policy.Publish((long)v, CellKey.FromSum(row.CellKeySums![m])) : (long)v;
            }
            row.Shown = shown;
            return;
        }
        var touched = new bool[_needed.Count];
        for (var m = 0; m < shown.Length; m++) shown[m] = row.Raw[m] is { } v ? (long)v : null;
        foreach (var (t, members, withRemainder) in _partitions)
        {
            if (row.Raw[t] is not { } totalValue) continue;
            var total = (long)totalValue;
            var cells = new long[members.Length + (withRemainder ? 1 : 0)];
            long sum = 0;
            for (var i = 0; i < members.Length; i++) sum += cells[i] = row.Raw[members[i]] is { } v ? (long)v : 0;
            if (withRemainder) cells[^1] = total - sum;
            long?[] shownCells;
            if (!touched[t])
            {
                (shownCells, var shownTotal) = policy.Apply(cells, total);
                if (shownTotal is null) shown[t] = null;
                touched[t] = true;
            }
            else
            {
                shownCells = policy.ApplyWithin(cells, total, shown[t] is not null);
            }
            for (var i = 0; i < members.Length; i++)
            {
                if (shownCells[i] is null) shown[members[i]] = null;
                touched[members[i]] = true;
            }
        }
        for (var m = 0; m < shown.Length; m++)
        {
            if (!touched[m] && _disclosive[m] && shown[m] is { } c && policy.IsSmall(c)) shown[m] = null;
        }
        row.Shown = shown;
    }

    /// <summary>The output values from the shown counts; suppressed when a count behind an output is withheld.</summary>
    private void Compute(SemanticRow row)
    {
        _current = row;
        var view = _view ??= new MeasureRow(name => _current!.Shown[_slot[name]],
            name => _perturbed && QaModel.SumsOfPeople.Contains(name) ? null : _current!.Raw[_slot[name]],
            name => _current!.Attributes[_attributeIndex[name]])
        { Perturbed = _perturbed };
        var values = new object?[_outputs.Length];
        var withheld = false;
        for (var c = 0; c < values.Length; c++)
        {
            var (derived, slot, inputs) = _outputs[c];
            if (derived is not null)
            {
                values[c] = derived.Compute(view);
                foreach (var s in inputs) withheld |= row.Shown[s] is null && row.Raw[s] is not null;
            }
            else
            {
                values[c] = row.Shown[slot];
                withheld |= row.Shown[slot] is null && row.Raw[slot] is not null;
            }
        }
        row.Values = values;
        row.Suppressed = withheld;
    }

    /// <summary>Each compared column against the same unit's previous period (previous month, quarter, year or 12-month window).</summary>
    private void ComparePrevious(List<SemanticRow> rows)
    {
        var periodIndex = _org.Length;
        var byKey = new Dictionary<(string Unit, string Period), SemanticRow>();
        foreach (var row in rows) byKey[(UnitKey(row.Keys), row.Keys[periodIndex]!)] = row;
        foreach (var ((unit, period), row) in byKey)
        {
            var previousLabel = PeriodLabels.Previous(_spec.Grain, period);
            var previous = previousLabel is null ? null : byKey.GetValueOrDefault((unit, previousLabel));
            row.PreviousPeriod = previous is null ? null : previousLabel;
            var values = new double?[_compared.Length];
            for (var c = 0; c < values.Length; c++) values[c] = previous?.Values[_compared[c]] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
            row.Previous = values;
        }
    }

    /// <summary>
    /// The rows as a table: keys, attributes, the measure columns (counts as Int64, derived as
    /// Double), any <paramref name="extra"/> columns, the comparison columns, and suppressed. When
    /// the rows are DuckDB's batches as they came, their key and attribute columns are passed
    /// through without being decoded; only the computed columns are built.
    /// </summary>
    public ArrowResult ToArrow(List<SemanticRow> rows, IReadOnlyList<ExtraColumn> extra, IReadOnlyList<string> notes)
    {
        var tailFields = TailFields(extra);
        if (PassThrough(rows) is { Count: > 0 } runs)
        {
            var headCount = KeyColumns.Length + _attributes.Count;
            var schema = new Schema(runs[0].Batch.Schema.FieldsList.Take(headCount).Concat(tailFields), null);
            var output = new List<RecordBatch>();
            var start = 0;
            foreach (var (batch, offset, length) in runs)
            {
                var slice = rows.GetRange(start, length);
                start += length;
                var whole = offset == 0 && length == batch.Length;
                var passed = Enumerable.Range(0, headCount).Select(c => whole ? batch.Column(c) : ArrowArrayFactory.Slice(batch.Column(c), offset, length));
                output.Add(new RecordBatch(schema, passed.Concat(TailArrays(slice, extra)), length));
            }
            return ArrowResult.From(schema, output, notes, disposeBatches: false);  // the key columns are DuckDB's, released with the query
        }

        var fields = KeyColumns.Select(k => new Field(k, StringType.Default, true))
            .Concat(_attributes.Select(a => new Field(a.Name, a.Numeric ? DoubleType.Default : StringType.Default, true)))
            .Concat(tailFields).ToList();
        var heads = new List<IArrowArray>();
        for (var k = 0; k < KeyColumns.Length; k++)
        {
            var builder = new StringArray.Builder();
            foreach (var row in rows) builder.Append(row.Keys[k]);
            heads.Add(builder.Build());
        }
        for (var a = 0; a < _attributes.Count; a++)
        {
            if (_attributes[a].Numeric)
            {
                var builder = new DoubleArray.Builder();
                foreach (var row in rows) builder.Append((double?)row.Attributes[a]);
                heads.Add(builder.Build());
            }
            else
            {
                var builder = new StringArray.Builder();
                foreach (var row in rows) builder.Append((string?)row.Attributes[a]);
                heads.Add(builder.Build());
            }
        }
        var tableSchema = new Schema(fields, null);
        return ArrowResult.From(tableSchema, [new RecordBatch(tableSchema, heads.Concat(TailArrays(rows, extra)), rows.Count)], notes);
    }

    /// <summary>
    /// The rows as runs of consecutive rows of DuckDB's batches (whole batches, or one slice where
    /// look-back rows were dropped from its start); empty when the rows are not such runs (rolling
    /// windows are made by the query) or there are none.
    /// </summary>
    private static List<(RecordBatch Batch, int Offset, int Length)> PassThrough(List<SemanticRow> rows)
    {
        var runs = new List<(RecordBatch Batch, int Offset, int Length)>();
        for (var i = 0; i < rows.Count;)
        {
            if (rows[i].Batch is not { } batch) return [];
            var j = i;
            while (j + 1 < rows.Count && rows[j + 1].Batch == batch && rows[j + 1].Index == rows[j].Index + 1) j++;
            if (runs.Count > 0 && runs[^1].Batch == batch) return [];  // a gap inside a batch
            runs.Add((batch, rows[i].Index, j - i + 1));
            i = j + 1;
        }
        return runs;
    }

    private List<Field> TailFields(IReadOnlyList<ExtraColumn> extra)
    {
        var fields = _spec.Columns.Select(c => new Field(c.Column, QaModel.Counts.ContainsKey(c.Measure) ? Int64Type.Default : DoubleType.Default, true)).ToList();
        fields.AddRange(extra.Select(e => new Field(e.Name, e.Type switch
        {
            ExtraType.Double => DoubleType.Default,
            ExtraType.Long => Int64Type.Default,
            _ => (IArrowType)StringType.Default,
        }, true)));
        if (_spec.Compare.Count > 0)
        {
            fields.Add(new Field("previous_period", StringType.Default, true));
            foreach (var name in _spec.Compare)
            {
                fields.Add(new Field($"previous_{name}", DoubleType.Default, true));
                fields.Add(new Field($"change_{name}", DoubleType.Default, true));
            }
        }
        fields.Add(new Field("suppressed", BooleanType.Default, true));
        return fields;
    }

    /// <summary>The computed columns of some rows, in the order of <see cref="TailFields"/>.</summary>
    private IEnumerable<IArrowArray> TailArrays(List<SemanticRow> rows, IReadOnlyList<ExtraColumn> extra)
    {
        for (var c = 0; c < _outputs.Length; c++)
        {
            if (_outputs[c].Derived is null)
            {
                var builder = new Int64Array.Builder().Reserve(rows.Count);
                foreach (var row in rows) builder.Append((long?)row.Values[c]);
                yield return builder.Build();
            }
            else
            {
                var builder = new DoubleArray.Builder().Reserve(rows.Count);
                foreach (var row in rows) builder.Append((double?)row.Values[c]);
                yield return builder.Build();
            }
        }
        foreach (var column in extra)
        {
            switch (column.Type)
            {
                case ExtraType.Double:
                    var doubles = new DoubleArray.Builder();
                    foreach (var row in rows) doubles.Append((double?)column.Value(row));
                    yield return doubles.Build();
                    break;
                case ExtraType.Long:
                    var longs = new Int64Array.Builder();
                    foreach (var row in rows) longs.Append((long?)column.Value(row));
                    yield return longs.Build();
                    break;
                default:
                    var strings = new StringArray.Builder();
                    foreach (var row in rows) strings.Append((string?)column.Value(row));
                    yield return strings.Build();
                    break;
            }
        }
        if (_spec.Compare.Count > 0)
        {
            var periods = new StringArray.Builder();
            foreach (var row in rows) periods.Append(row.PreviousPeriod);
            yield return periods.Build();
            for (var c = 0; c < _compared.Length; c++)
            {
                var previous = new DoubleArray.Builder();
                var change = new DoubleArray.Builder();
                foreach (var row in rows)
                {
                    var now = row.Values[_compared[c]] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : (double?)null;
                    previous.Append(row.Previous[c]);
                    change.Append(now is { } n && row.Previous[c] is { } p ? n - p : null);
                }
                yield return previous.Build();
                yield return change.Build();
            }
        }
        var suppressed = new BooleanArray.Builder().Reserve(rows.Count);
        foreach (var row in rows) suppressed.Append(row.Suppressed);
        yield return suppressed.Build();
    }

    /// <summary>Releases the record batches DuckDB returned.</summary>
    public void Dispose()
    {
        foreach (var batch in _batches) batch.Dispose();
        _batches.Clear();
    }

    /// <summary>A value of an output column by name, from <see cref="SemanticRow.Values"/>.</summary>
    public object? Value(SemanticRow row, string column) => row.Values[IndexOf(column)];

    public object? Attribute(SemanticRow row, string name) => row.Attributes[_attributeIndex[name]];

    public string? Key(SemanticRow row, string name) => row.Keys[System.Array.IndexOf(KeyColumns, name)];

    /// <summary>
    /// A count for statistics across rows such as a rank correlation: as counted (before suppression)
    /// inside the council, as published (perturbed) outside it.
    /// </summary>
    public double? Raw(SemanticRow row, string count) => _perturbed ? row.Shown[_slot[count]] : row.Raw[_slot[count]];

    private int IndexOf(string column)
    {
        for (var i = 0; i < _spec.Columns.Count; i++)
        {
            if (_spec.Columns[i].Column == column) return i;
        }
        throw new InvalidOperationException($"Column {column} is not in the query.");
    }
}

public enum ExtraType { String, Long, Double }

/// <summary>A column an RPC adds to a semantic result (e.g. a RAG status or a divergence flag).</summary>
public sealed record ExtraColumn(string Name, ExtraType Type, Func<SemanticRow, object?> Value);
