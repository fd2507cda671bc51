using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// Works out a semantic result from the counts DuckDB returned, a whole column at a time: rolling
/// windows (sums of months), disclosure control (suppression over every partition the counts belong
/// to, or the cell key method), the derived measures from the shown counts, the suppressed flag,
/// and the change against the unit's previous period. Keys pass through undecoded unless a
/// comparison or a rolling window needs them.
/// </summary>
internal sealed class SemanticCalculator(ResolvedSpec spec, Disclosure policy)
{
    public bool Perturbed => policy.Perturbed;

    /// <summary>
    /// Disclosure, derived measures and the suppressed flag for one block: needs no other block, so
    /// a result without comparison or rolling windows is worked out batch by batch as it streams.
    /// </summary>
    public void Compute(SemanticBlock block)
    {
        block.Shown = Disclose(block);
        var columns = new MeasureColumns(block.Length, name => block.Shown[spec.Slot[name]],
            name => policy.Perturbed && QaModel.SumsOfPeople.Contains(name) ? new double?[block.Length] : block.Raw(spec.Slot[name]),
            (name, i) => block.Attribute(spec.AttributeIndex[name], i))
        { Perturbed = policy.Perturbed };
        var values = new double?[spec.Outputs.Length][];
        for (var c = 0; c < values.Length; c++)
        {
            var output = spec.Outputs[c];
            values[c] = output.Derived is { } derived ? derived.Compute(columns) : ToDouble(block.Shown[output.Slot]);
        }
        block.Values = values;

        // Suppressed where a count behind an output is withheld (shown null while counted).
        var watched = spec.Outputs.SelectMany(o => o.CountSlots).Distinct().ToArray();
        var suppressed = new bool[block.Length];
        foreach (var slot in watched)
        {
            var (shown, raw) = (block.Shown[slot], block.Raw(slot));
            for (var i = 0; i < suppressed.Length; i++) suppressed[i] |= shown[i] is null && raw[i] is not null;
        }
        block.Suppressed = suppressed;
    }

    /// <summary>
    /// Perturbed counts (outside the council: every count of records by its own cell key, nothing
    /// withheld); exact counts when nothing is withheld; otherwise suppression over every partition
    /// in the model's order, then lone small counts.
    /// </summary>
    private long?[][] Disclose(SemanticBlock block)
    {
        var shown = new long?[spec.Needed.Count][];
        for (var m = 0; m < shown.Length; m++)
        {
            var raw = block.Raw(m);
            var column = shown[m] = new long?[block.Length];
            if (policy.Perturbed && spec.Disclosive[m])
            {
                for (var i = 0; i < column.Length; i++)
                {
                    if (raw[i] is { } v) column[i] = policy.Publish((long)v, CellKey.FromSum(block.CellKeySum(m, i)));
                }
            }
            else
            {
                for (var i = 0; i < column.Length; i++) column[i] = raw[i] is { } v ? (long)v : null;
            }
        }
        if (policy.Perturbed || policy.Threshold <= 0) return shown;

        var touched = new bool[shown.Length];
        for (var i = 0; i < block.Length; i++)
        {
            Array.Clear(touched);
            foreach (var (t, members, withRemainder) in spec.Partitions)
            {
                if (block.Raw(t)[i] is not { } totalValue) continue;
                var total = (long)totalValue;
                var cells = new long[members.Length + (withRemainder ? 1 : 0)];
                long sum = 0;
                for (var k = 0; k < members.Length; k++) sum += cells[k] = block.Raw(members[k])[i] is { } v ? (long)v : 0;
                if (withRemainder) cells[^1] = total - sum;
                long?[] shownCells;
                if (!touched[t])
                {
                    (shownCells, var shownTotal) = policy.Apply(cells, total);
                    if (shownTotal is null) shown[t][i] = null;
                    touched[t] = true;
                }
                else
                {
                    shownCells = policy.ApplyWithin(cells, total, shown[t][i] is not null);
                }
                for (var k = 0; k < members.Length; k++)
                {
                    if (shownCells[k] is null) shown[members[k]][i] = null;
                    touched[members[k]] = true;
                }
            }
            for (var m = 0; m < shown.Length; m++)
            {
                if (!touched[m] && spec.Disclosive[m] && shown[m][i] is { } c && policy.IsSmall(c)) shown[m][i] = null;
            }
        }
        return shown;
    }

    /// <summary>Marks the look-back rows DuckDB put first (ORDER BY): every row of the look-back period, up to the first row of the range.</summary>
    public void MarkLookback(IReadOnlyList<SemanticBlock> blocks, string label)
    {
        foreach (var block in blocks)
        {
            var skip = 0;
            while (skip < block.Length && block.Key(spec.PeriodIndex, skip) == label) skip++;
            block.Skip = skip;
            if (skip < block.Length) return;
        }
    }

    /// <summary>
    /// Sums each unit's months over the twelve months ending at every month from the first window
    /// to the end of the range (windows before the range are look-back rows for the comparison); a
    /// window with no data is left out.
    /// </summary>
    public SemanticBlock RollingWindows(IReadOnlyList<SemanticBlock> months)
    {
        var firstEnd = spec.Comparing ? spec.From.AddMonths(-1) : spec.From;
        var keyCount = spec.KeyColumns.Length;
        var numbering = new UnitNumbers(spec);
        var units = new List<List<(SemanticBlock Block, int Index, DateOnly Month)>>();  // by unit number, in order of first appearance
        foreach (var block in months)
        {
            for (var i = 0; i < block.Length; i++)
            {
                var unit = numbering.Of(block, i);
                if (unit == units.Count) units.Add([]);
                units[unit].Add((block, i, PeriodLabels.Month(block.Key(spec.PeriodIndex, i)!)));
            }
        }

        var keys = Enumerable.Range(0, keyCount).Select(_ => new List<string?>()).ToArray();
        var attributes = Enumerable.Range(0, spec.Attributes.Count).Select(_ => new List<object?>()).ToArray();
        var raw = Enumerable.Range(0, spec.Needed.Count).Select(_ => new List<double?>()).ToArray();
        var cellKeys = policy.Perturbed ? Enumerable.Range(0, spec.Needed.Count).Select(_ => new List<double>()).ToArray() : null;
        var dropped = new List<bool>();
        foreach (var unit in units)
        {
            var byMonth = unit.ToDictionary(r => r.Month);
            var last = byMonth.Keys.Max();
            var (sampleBlock, sampleIndex, _) = unit[0];
            var unitAttributes = Enumerable.Range(0, spec.Attributes.Count)
                .Select(a => unit.Select(r => r.Block.Attribute(a, r.Index)).FirstOrDefault(v => v is not null)).ToArray();
            for (var end = firstEnd; end <= spec.To && end <= last.AddMonths(11); end = end.AddMonths(1))
            {
                var window = new List<(SemanticBlock Block, int Index, DateOnly Month)>(12);
                for (var back = 0; back < 12; back++)
                {
                    if (byMonth.TryGetValue(end.AddMonths(-back), out var row)) window.Add(row);
                }
                if (window.Count == 0) continue;
                for (var k = 0; k < keyCount; k++) keys[k].Add(k == spec.PeriodIndex ? PeriodGrain.RollingLabel(end) : sampleBlock.Key(k, sampleIndex));
                for (var a = 0; a < attributes.Length; a++) attributes[a].Add(unitAttributes[a]);
                for (var m = 0; m < raw.Length; m++)
                {
                    double? sum = null;
                    foreach (var (block, index, _) in window)
                    {
                        if (block.Raw(m)[index] is { } v) sum = (sum ?? 0) + v;
                    }
                    raw[m].Add(sum);
                    cellKeys?[m].Add(window.Sum(r => r.Block.CellKeySum(m, r.Index)));
                }
                dropped.Add(end < spec.From);
            }
        }
        return new SemanticBlock(spec, keys.Select(k => k.ToArray()).ToArray(), attributes.Select(a => a.ToArray()).ToArray(),
            raw.Select(r => (double?[]?)r.ToArray()).ToArray(), cellKeys?.Select(c => c.ToArray()).ToArray(), dropped.ToArray());
    }

    /// <summary>
    /// Each compared column against the same unit's previous period (previous month, quarter, year or
    /// 12-month window). Rows are matched on numbers, not text (<see cref="UnitNumbers"/>), and each
    /// period label's previous label is worked out once.
    /// </summary>
    public void ComparePrevious(IReadOnlyList<SemanticBlock> blocks)
    {
        var numbering = new UnitNumbers(spec);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = blocks.Select(b => new int[b.Length]).ToArray();
        var periods = blocks.Select(b => new int[b.Length]).ToArray();
        var rows = new Dictionary<(int Unit, int Period), (int Block, int Index)>();
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            for (var i = 0; i < block.Length; i++)
            {
                units[b][i] = numbering.Of(block, i);
                periods[b][i] = UnitNumbers.Number(labels, block.Key(spec.PeriodIndex, i)!);
                rows[(units[b][i], periods[b][i])] = (b, i);
            }
        }
        // The previous label of each period label, by number (-1: none, or no row of that period).
        var previousOf = new int[labels.Count];
        var previousLabel = new string?[labels.Count];
        foreach (var (label, number) in labels)
        {
            previousLabel[number] = spec.Grain.Previous(label);
            previousOf[number] = previousLabel[number] is { } p && labels.TryGetValue(p, out var n) ? n : -1;
        }
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            block.PreviousPeriod = new string?[block.Length];
            block.Previous = spec.Compared.Select(_ => new double?[block.Length]).ToArray();
            for (var i = 0; i < block.Length; i++)
            {
                var previous = previousOf[periods[b][i]];
                if (previous < 0 || !rows.TryGetValue((units[b][i], previous), out var at)) continue;
                block.PreviousPeriod[i] = previousLabel[periods[b][i]];
                for (var c = 0; c < spec.Compared.Length; c++) block.Previous[c][i] = blocks[at.Block].Values[spec.Compared[c]][at.Index];
            }
        }
    }

    /// <summary>
    /// Numbers each row's unit (its keys but the period) 0, 1, 2… in order of first appearance,
    /// without building a text key per row: each key value is numbered once per column, and a unit
    /// is the fold of its values' numbers, column by column.
    /// </summary>
    private sealed class UnitNumbers(ResolvedSpec spec)
    {
        private readonly Dictionary<string, int>[] _values = [.. spec.KeyColumns.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
        private readonly Dictionary<(int Prefix, int Value), int> _folds = [];
        private readonly Dictionary<int, int> _units = [];

        public int Of(SemanticBlock block, int i)
        {
            var fold = 0;
            for (var k = 0; k < _values.Length; k++)
            {
                if (k == spec.PeriodIndex) continue;
                var value = Number(_values[k], block.Key(k, i) ?? "\u0000");
                if (!_folds.TryGetValue((fold, value), out var next)) _folds[(fold, value)] = next = _folds.Count + 1;
                fold = next;
            }
            if (!_units.TryGetValue(fold, out var unit)) _units[fold] = unit = _units.Count;
            return unit;
        }

        /// <summary>The number of <paramref name="value"/> in <paramref name="numbers"/>, the next one when it is new.</summary>
        public static int Number(Dictionary<string, int> numbers, string value)
        {
            if (!numbers.TryGetValue(value, out var number)) numbers[value] = number = numbers.Count;
            return number;
        }
    }

    private static double?[] ToDouble(long?[] counts)
    {
        var result = new double?[counts.Length];
        for (var i = 0; i < result.Length; i++) result[i] = counts[i];
        return result;
    }
}
