using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Semantic;

/// <summary>An output column and the measure (count or derived) it shows.</summary>
public sealed record MeasureColumn(string Column, string Measure);

/// <summary>What to compute: measures by organisation level, time grain and dimensions, filtered.</summary>
public sealed record SemanticSpec
{
    public required IReadOnlyList<MeasureColumn> Columns { get; init; }

    public required OrgLevel GroupBy { get; init; }

    public required PeriodGrain Grain { get; init; }

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
/// A <see cref="SemanticSpec"/> checked against the model, with everything the planner, the
/// calculator and the writer need worked out once: the counts to read (in SQL order), the sources,
/// the attributes that come with the dimensions, the partitions suppression runs over, and what
/// each output column is computed from.
/// </summary>
public sealed class ResolvedSpec
{
    public ResolvedSpec(SemanticSpec spec)
    {
        Spec = spec;
        Org = QueryArguments.OrgColumns(spec.GroupBy);
        (From, To) = QueryArguments.Months(spec.Period);
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

        Needed = Closure(spec.Columns.Select(c => c.Measure));
        Slot = Needed.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        Sources = Needed.Select(m => QaModel.Counts[m].Source).Distinct().OrderBy(s => spec.Repeated.Contains(s)).ToList();
        foreach (var source in Sources.Select(s => QaModel.Sources[s]))
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
        Attributes = spec.Dimensions.SelectMany(d => QaModel.Dimensions[d].Attributes)
            .Where(a => !spec.Dimensions.Contains(a.Name)).DistinctBy(a => a.Name).ToList();
        AttributeIndex = Attributes.Select((a, i) => (a.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        KeyColumns = [.. Org, "period", .. spec.Dimensions];

        Partitions = QaModel.Partitions.Where(p => Slot.ContainsKey(p.Total))
            .Select(p => new SlotPartition(Slot[p.Total], p.Members.Select(m => Slot[m]).ToArray(), p.WithRemainder)).ToArray();
        Disclosive = Needed.Select(m => QaModel.Counts[m].IsCount && !QaModel.NotDisclosive.Contains(m)).ToArray();
        Outputs = spec.Columns.Select(c => QaModel.Derived.TryGetValue(c.Measure, out var derived)
            ? new Output(c.Column, derived, -1, derived.Inputs.Where(i => QaModel.Counts.TryGetValue(i, out var count) && count.IsCount).Select(i => Slot[i]).ToArray())
            : new Output(c.Column, null, Slot[c.Measure], [Slot[c.Measure]])).ToArray();
        var columnNames = spec.Columns.Select(c => c.Column).ToList();
        Compared = spec.Compare.Select(name => columnNames.IndexOf(name) is >= 0 and var i ? i
            : throw new InvalidOperationException($"Compared column {name} is not in the query.")).ToArray();
    }

    public SemanticSpec Spec { get; }

    public PeriodGrain Grain => Spec.Grain;

    /// <summary>The organisation columns of the grouping level.</summary>
    public string[] Org { get; }

    /// <summary>The first day of the first and of the last month of the range.</summary>
    public DateOnly From { get; }

    public DateOnly To { get; }

    /// <summary>Organisation columns, period, then the dimensions.</summary>
    public string[] KeyColumns { get; }

    /// <summary>Position of the period among the keys.</summary>
    public int PeriodIndex => Org.Length;

    /// <summary>Every count and sum to read, in SQL order (a count's slot is its position).</summary>
    public List<string> Needed { get; }

    public IReadOnlyDictionary<string, int> Slot { get; }

    /// <summary>The sources read, those repeated onto other sources' rows last.</summary>
    public List<string> Sources { get; }

    /// <summary>Columns that come with the dimensions' values, after the keys.</summary>
    public List<DimensionAttribute> Attributes { get; }

    public IReadOnlyDictionary<string, int> AttributeIndex { get; }

    /// <summary>The model's partitions whose total is read, by slot, in the model's order.</summary>
    public SlotPartition[] Partitions { get; }

    /// <summary>By slot: a count that disclosure control applies to.</summary>
    public bool[] Disclosive { get; }

    /// <summary>The output columns in order.</summary>
    public Output[] Outputs { get; }

    /// <summary>An output's position by its column name.</summary>
    public IReadOnlyDictionary<string, int> OutputIndex => _outputIndex ??= Outputs.Select((o, i) => (o.Column, i)).ToDictionary(p => p.Column, p => p.i, StringComparer.Ordinal);

    private Dictionary<string, int>? _outputIndex;

    /// <summary>A key column's position by its name.</summary>
    public IReadOnlyDictionary<string, int> KeyIndex => _keyIndex ??= KeyColumns.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);

    private Dictionary<string, int>? _keyIndex;

    /// <summary>The output index of each compared column.</summary>
    public int[] Compared { get; }

    public bool Comparing => Compared.Length > 0;

    public static bool IsOrgDimension(string name) => name is "la_code" or "service_area" or "team_id";

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

    /// <summary>A partition by slots.</summary>
    public sealed record SlotPartition(int Total, int[] Members, bool WithRemainder);

    /// <summary>An output column: a count (its slot) or a derived measure; withheld when a count in <paramref name="CountSlots"/> is.</summary>
    public sealed record Output(string Column, DerivedMeasure? Derived, int Slot, int[] CountSlots)
    {
        public bool IsCount => Derived is null;
    }
}
