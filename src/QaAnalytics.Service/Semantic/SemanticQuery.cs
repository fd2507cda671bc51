using Apache.Arrow;
using DuckDB.NET.Data;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Service.Semantic;

/// <summary>
/// Computes measures of the semantic model (<see cref="QaModel"/>): the spec resolved
/// (<see cref="ResolvedSpec"/>), its one SQL statement (<see cref="SqlPlanner"/>), the figures
/// worked out column by column (<see cref="SemanticCalculator"/>) and written as Arrow
/// (<see cref="SemanticArrowWriter"/>). Without a comparison or rolling windows each of DuckDB's
/// batches is computed, written and released before the next is read.
/// </summary>
public sealed class SemanticQuery : IDisposable
{
    private readonly ResolvedSpec _spec;
    private readonly long _maxRows;
    private readonly List<RecordBatch> _batches = [];
    private readonly List<SemanticBlock> _blocks = [];
    private Schema? _duckDbSchema;
    private bool _perturbed;
    private bool _finished;

    /// <param name="spec">What to compute (checked against the model here).</param>
    /// <param name="maxRows">The most rows a call may read or return (<see cref="ServiceOptions.MaxRowsPerCall"/>).</param>
    public SemanticQuery(SemanticSpec spec, long maxRows = long.MaxValue)
    {
        _spec = new ResolvedSpec(spec);
        _maxRows = maxRows;
    }

    public string[] KeyColumns => _spec.KeyColumns;

    /// <summary>Whether DuckDB works out the whole table (exact figures); false makes the calculator do it whatever the audience (for tests comparing the two).</summary>
    internal bool FinishInSql { get; init; } = true;

    /// <summary>
    /// The SQL the query runs for an audience given <paramref name="policy"/> (default: exact
    /// figures, what the benchmark's in-process baseline runs): the finished table when DuckDB can
    /// work it out (<see cref="SqlPlanner.Finishes"/>), else the counts for the calculator.
    /// </summary>
    public SqlPlan Plan(Disclosure? policy = null)
    {
        policy ??= Disclosure.Off;
        return SqlPlanner.Plan(_spec, policy.Perturbed, Finishes(policy));
    }

    private bool Finishes(Disclosure policy) => FinishInSql && SqlPlanner.Finishes(_spec, !policy.Perturbed && policy.Threshold <= 0);

    /// <summary>
    /// Runs the query and computes every row, kept for statistics across rows (<see cref="Blocks"/>);
    /// <see cref="ToArrow"/> then writes them.
    /// </summary>
    public async Task RunAsync(DuckDBConnection connection, Disclosure policy, CancellationToken ct)
    {
        _perturbed = policy.Perturbed;
        _finished = Finishes(policy);
        var plan = Plan(policy);
        var calculator = new SemanticCalculator(_spec, policy);
        using (var reader = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, ct))
        {
            _duckDbSchema = reader.Schema;
            long rows = 0;
            while (await reader.NextAsync(ct) is { } batch)
            {
                _batches.Add(batch);
                Check(rows += batch.Length);
                _blocks.Add(new SemanticBlock(_spec, batch, policy.Perturbed, _finished));
            }
        }
        if (_finished) return;
        if (_spec.Grain.IsRolling)
        {
            var windows = calculator.RollingWindows(_blocks);
            Check(windows.Length);
            _blocks.Clear();
            _blocks.Add(windows);
            _duckDbSchema = null;  // keys made here, not passed through
            ReleaseBatches();
        }
        else if (plan.LookbackLabel is { } label)
        {
            calculator.MarkLookback(_blocks, label);
        }
        foreach (var block in _blocks) calculator.Compute(block);
        if (_spec.Comparing) calculator.ComparePrevious(_blocks);
    }

    /// <summary>
    /// The rows <see cref="RunAsync"/> computed, a run at a time, for statistics across rows that read
    /// whole columns (<see cref="KeyColumn"/>, <see cref="RawColumn"/>): a row is returned where
    /// <see cref="SemanticBlock.Kept"/>.
    /// </summary>
    internal IReadOnlyList<SemanticBlock> Blocks => _blocks;

    /// <summary>The rows <see cref="RunAsync"/> computed, as a table.</summary>
    public ArrowResult ToArrow(IReadOnlyList<ExtraColumn> extra, IReadOnlyList<string> notes)
    {
        var writer = new SemanticArrowWriter(_spec, extra);
        var schema = writer.Schema(_duckDbSchema, _finished);
        using var result = new ArrowResult.Builder(schema);
        foreach (var block in _blocks) writer.Write(block, schema, result.Write);
        return result.Finish(notes);
    }

    /// <summary>
    /// Runs the query and writes its table. A result DuckDB finishes (exact figures), or that needs no
    /// other rows to work out a row (no comparison, no rolling windows), is read, computed and
    /// written one batch at a time, each of DuckDB's batches released as soon as it is written;
    /// <paramref name="writing"/> is then given the table as it is begun, so its chunks can be sent
    /// as they fill (the other results are worked out whole first and never given).
    /// </summary>
    public async Task<ArrowResult> WriteAsync(DuckDBConnection connection, Disclosure policy, Func<SemanticQuery, IReadOnlyList<ExtraColumn>>? extra,
        IReadOnlyList<string> notes, CancellationToken ct, Action<ArrowResult.Builder>? writing = null)
    {
        _finished = Finishes(policy);
        if (!_finished && (_spec.Comparing || _spec.Grain.IsRolling))
        {
            await RunAsync(connection, policy, ct);
            return ToArrow(extra?.Invoke(this) ?? [], notes);
        }
        _perturbed = policy.Perturbed;
        var plan = Plan(policy);
        var calculator = new SemanticCalculator(_spec, policy);
        var writer = new SemanticArrowWriter(_spec, extra?.Invoke(this) ?? []);
        using var reader = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, ct);
        var schema = writer.Schema(reader.Schema, _finished);
        using var result = new ArrowResult.Builder(schema);
        writing?.Invoke(result);
        long rows = 0;
        while (await reader.NextAsync(ct) is { } batch)
        {
            using (batch)
            {
                Check(rows += batch.Length);
                var block = new SemanticBlock(_spec, batch, policy.Perturbed, _finished);
                if (!_finished) calculator.Compute(block);
                writer.Write(block, schema, result.Write);
            }
        }
        return result.Finish(notes);
    }

    private void Check(long rows)
    {
        if (rows > _maxRows) throw new ResultTooLargeException(_maxRows);
    }

    /// <summary>
    /// A reader of an output column's values (a count exact in a double), resolved by name once and its
    /// column once per block: an RPC's extra column reads every row, so no look-up, type test or boxing per row.
    /// </summary>
    public Func<SemanticRow, double?> Number(string column)
    {
        var c = IndexOf(column);
        return PerBlock(block => block.NumberReader(c));
    }

    /// <summary>A reader of a numeric attribute (such as a KPI's target), its column resolved once per block.</summary>
    public Func<SemanticRow, double?> NumericAttribute(string name)
    {
        var a = _spec.AttributeIndex[name];
        return PerBlock(block => block.NumericAttributeReader(a));
    }

    /// <summary>
    /// A reader of rows from block readers: the rows of a call are read block by block, so each
    /// block's reader is made when its first row is read and kept until a row of another block is.
    /// One call's rows are read on one thread at a time.
    /// </summary>
    private static Func<SemanticRow, double?> PerBlock(Func<SemanticBlock, Func<int, double?>> readerOf)
    {
        SemanticBlock? block = null;
        Func<int, double?>? read = null;
        return row =>
        {
            if (!ReferenceEquals(row.Block, block)) (block, read) = (row.Block, readerOf(row.Block));
            return read!(row.Index);
        };
    }

    /// <summary>A reader of a text attribute (such as a KPI's polarity).</summary>
    public Func<SemanticRow, string?> TextAttribute(string name)
    {
        var a = _spec.AttributeIndex[name];
        return row => (string?)row.Block.Attribute(a, row.Index);
    }

    /// <summary>A key column (organisation, period, dimension) of one of <see cref="Blocks"/>, whole.</summary>
    internal string?[] KeyColumn(SemanticBlock block, string name) => block.KeyColumn(_spec.KeyIndex[name]);

    /// <summary>
    /// A count of one of <see cref="Blocks"/>, whole, for statistics across rows such as a rank
    /// correlation: as counted (before suppression) inside the council, as published (perturbed)
    /// outside it. Read after <see cref="RunAsync"/>, which settles which of the two the call's audience gets.
    /// </summary>
    internal double?[] RawColumn(SemanticBlock block, string count)
    {
        var slot = _spec.Slot[count];
        return _perturbed ? System.Array.ConvertAll(block.Shown[slot], v => (double?)v) : block.Raw(slot);
    }

    private int IndexOf(string column) =>
        _spec.OutputIndex.TryGetValue(column, out var i) ? i : throw new InvalidOperationException($"Column {column} is not in the query.");

    /// <summary>Releases the record batches DuckDB returned.</summary>
    public void Dispose() => ReleaseBatches();

    private void ReleaseBatches()
    {
        foreach (var batch in _batches) batch.Dispose();
        _batches.Clear();
    }
}
