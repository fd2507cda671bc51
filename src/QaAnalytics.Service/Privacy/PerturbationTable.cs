using System.Globalization;

namespace QaAnalytics.Service.Privacy;

/// <summary>One row of a perturbation table: a change to a count and how likely it is.</summary>
public sealed record Perturbation(int Change, double Probability);

/// <summary>
/// The perturbation table (ptable) of the cell key method: for a count (1, 2, … capped at the
/// last row) and a cell key in [0, 1), the change to publish. Each row lists its changes in order
/// with their probabilities; the cell key falls in one change's share of [0, 1). Zero stays zero,
/// no count becomes negative, and every row's changes have mean 0, so totals are unbiased.
/// </summary>
public sealed class PerturbationTable
{
    private readonly Perturbation[][] _rows;
    private readonly double[][] _bounds;

    /// <param name="rows">Row i is for a count of i + 1; the last row is for that count and every larger one.</param>
    public PerturbationTable(IReadOnlyList<IReadOnlyList<Perturbation>> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("A perturbation table needs at least one row.", nameof(rows));
        _rows = rows.Select(r => r.ToArray()).ToArray();
        _bounds = new double[_rows.Length][];
        for (var i = 0; i < _rows.Length; i++)
        {
            var count = i + 1;
            var row = _rows[i];
            if (Math.Abs(row.Sum(p => p.Probability) - 1) > 1e-9) throw new ArgumentException($"Row {count}: the probabilities do not add up to 1.", nameof(rows));
            if (Math.Abs(row.Sum(p => p.Change * p.Probability)) > 1e-9) throw new ArgumentException($"Row {count}: the changes do not have mean 0.", nameof(rows));
            if (row.Any(p => count + p.Change < 0)) throw new ArgumentException($"Row {count}: a change makes the count negative.", nameof(rows));
            var cumulative = 0.0;
            _bounds[i] = row.Select(p => cumulative += p.Probability).ToArray();
            _bounds[i][^1] = 1.0;
        }
    }

    /// <summary>
    /// The table the service uses (documented in the README): a count of 1 becomes 0, 1, 2 or 3
    /// (probabilities 0.4, 0.3, 0.2, 0.1); every larger count moves by −2 … +2 (0.1, 0.25, 0.3,
    /// 0.25, 0.1). A published count equals the true one with probability 0.3; the change has mean 0
    /// and variance 1.0 (count 1) or 1.3.
    /// </summary>
    public static PerturbationTable Default { get; } = new(
    [
        [new(-1, 0.4), new(0, 0.3), new(1, 0.2), new(2, 0.1)],
        [new(-2, 0.1), new(-1, 0.25), new(0, 0.3), new(1, 0.25), new(2, 0.1)],
    ]);

    /// <summary>The rows, for the catalogue and the README.</summary>
    public IReadOnlyList<IReadOnlyList<Perturbation>> Rows => _rows;

    /// <summary>The change to a count for a cell key in [0, 1); 0 for a count of 0.</summary>
    public int Change(long count, double cellKey)
    {
        if (count <= 0) return 0;
        if (cellKey is < 0 or >= 1 || double.IsNaN(cellKey)) throw new ArgumentOutOfRangeException(nameof(cellKey), cellKey, "A cell key is in [0, 1).");
        var row = (int)Math.Min(count, _rows.Length) - 1;
        var bounds = _bounds[row];
        for (var i = 0; i < bounds.Length; i++)
        {
            if (cellKey < bounds[i]) return _rows[row][i].Change;
        }
        return _rows[row][^1].Change;
    }

    /// <summary>The count as published.</summary>
    public long Perturb(long count, double cellKey) => count + Change(count, cellKey);

    /// <summary>The table as text, one line per row ("1: -1 (0.4), 0 (0.3), …"; the last row says "and over").</summary>
    public override string ToString() => string.Join("; ", _rows.Select((r, i) =>
        string.Create(CultureInfo.InvariantCulture, $"{i + 1}{(i == _rows.Length - 1 ? " and over" : "")}: {string.Join(", ", r.Select(p => $"{p.Change:+0;-0;0} ({p.Probability})"))}")));
}
