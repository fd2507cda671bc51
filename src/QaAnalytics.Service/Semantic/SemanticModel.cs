namespace QaAnalytics.Service.Semantic;

/// <summary>
/// A fact the semantic model counts over: the rows (a view or a query in <c>Sql/</c>), the date
/// column that places a row in a month, and how each dimension reads on it. Every source has the
/// organisation columns (la_code, service_area, team_id, team_name) and the period labels
/// (month_label, financial_quarter_label, financial_year) of its date.
/// </summary>
public sealed record Source(string Name, string From, string DateColumn, IReadOnlyDictionary<string, DimensionBinding> Dimensions, string Description)
{
    /// <summary>Extra condition when grouping below council (e.g. complaints with no team count at council level only).</summary>
    public string? BelowCouncil { get; init; }
}

/// <summary>How a dimension reads on one source: its SQL column and, when grouping by it, which rows are left out.</summary>
public sealed record DimensionBinding(string Column, string? WhenGrouped = null);

/// <summary>A dimension beyond organisation and period; attributes are columns that come with each value.</summary>
public sealed record Dimension(string Name, string Description, IReadOnlyList<DimensionAttribute> Attributes)
{
    /// <summary>
    /// The dimension's own table, keyed by a column of the dimension's name, that its
    /// <see cref="DimensionAttribute.OneValuePerKey"/> attributes come from: the planner groups without
    /// them and looks them up there afterwards, once per group rather than once per row. Null: they
    /// are taken with <c>any_value</c> in the grouping.
    /// </summary>
    public string? Table { get; init; }
}

/// <summary>
/// A column that comes with a dimension's value (text, or a number when <see cref="Numeric"/>).
/// <see cref="OneValuePerKey"/>: every source gives one value per value of the dimension (a column of
/// the dimension's own table, keyed by it), so the planner does not group by it: it looks it up in
/// <see cref="Dimension.Table"/> after the grouping, or takes it with <c>any_value</c>.
/// </summary>
public sealed record DimensionAttribute(string Name, bool Numeric = false, bool OneValuePerKey = false);

/// <summary>
/// An additive figure counted in SQL on one source: a count (suppressible) or a sum (only used
/// inside means). Additive, so rolling windows are sums of months.
/// </summary>
public sealed record BaseMeasure(string Name, string Source, string Sql, string Description, string Unit = "count", string Polarity = "neutral")
{
    public bool IsCount => Unit == "count";

    /// <summary>A missing group counts 0; false for counts that do not apply to every row (KPI numerators of single-figure KPIs).</summary>
    public bool ZeroWhenMissing { get; init; } = true;

    /// <summary>Shown in the catalogue and queryable by name; false for sums that only feed a mean.</summary>
    public bool Published { get; init; } = true;
}

/// <summary>A figure worked out from the counts after suppression, never from rounded values: a whole column at a time.</summary>
public sealed record DerivedMeasure(string Name, string Description, string Unit, string Polarity, IReadOnlyList<string> Inputs, string? Denominator, Func<MeasureColumns, double?[]> Compute)
{
    /// <summary>
    /// The same figure from exact counts as a SQL expression over the counts, sums and attributes by
    /// name (DOUBLE columns), with the same floating-point operations in the same order as
    /// <see cref="Compute"/>, so DuckDB works it out when nothing is withheld or perturbed.
    /// </summary>
    public required string ExactSql { get; init; }
}

/// <summary>
/// Counts that add up to a total (with the unpublished remainder when <see cref="WithRemainder"/>):
/// the unit of small-number suppression. A partition whose total is a member of an earlier one is
/// nested: when that total is withheld, its non-zero members are too.
/// </summary>
public sealed record Partition(string Total, IReadOnlyList<string> Members, bool WithRemainder);

/// <summary>The counts of a run of result rows, column by column, as shown after suppression, for derived measures.</summary>
public sealed class MeasureColumns(int length, Func<string, long?[]> shown, Func<string, double?[]> sum, Func<string, int, object?> attribute)
{
    /// <summary>Rows in each column.</summary>
    public int Length => length;

    /// <summary>The counts are perturbed (outside the council): a share is capped at 1, as a perturbed part may exceed its perturbed whole.</summary>
    public bool Perturbed { get; init; }

    /// <summary>A count as shown (null = withheld).</summary>
    public long?[] Shown(string count) => shown(count);

    /// <summary>A sum as counted (null outside the council for sums of people's scores).</summary>
    public double?[] Sum(string name) => sum(name);

    /// <summary>An attribute of one row (text, or a number for numeric attributes).</summary>
    public object? Attribute(string name, int row) => attribute(name, row);

    /// <summary>A share of shown counts; null where either is withheld or the denominator is 0.</summary>
    public double?[] Ratio(string numerator, string denominator, double scale = 1)
    {
        var (n, d) = (Shown(numerator), Shown(denominator));
        var result = new double?[length];
        for (var i = 0; i < result.Length; i++)
        {
            if (n[i] is { } x && d[i] is { } y && y > 0) result[i] = scale * (Perturbed ? Math.Min(x, y) : x) / y;
        }
        return result;
    }

    /// <summary>A mean of a sum over a shown count.</summary>
    public double?[] Mean(string total, string count)
    {
        var (s, n) = (Sum(total), Shown(count));
        var result = new double?[length];
        for (var i = 0; i < result.Length; i++)
        {
            if (s[i] is { } x && n[i] is { } y && y > 0) result[i] = x / y;
        }
        return result;
    }

    /// <summary>A column worked out row by row from other columns.</summary>
    public double?[] PerRow(Func<int, double?> value)
    {
        var result = new double?[length];
        for (var i = 0; i < result.Length; i++) result[i] = value(i);
        return result;
    }
}
