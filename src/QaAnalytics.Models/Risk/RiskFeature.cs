using System.Reflection;
using Microsoft.ML.Data;

namespace QaAnalytics.Models.Risk;

/// <summary>How a feature's value is written in a reason.</summary>
public enum FeatureUnit
{
    /// <summary>A fraction 0–1 written as a percentage ("22%").</summary>
    Share,

    /// <summary>A percentage 0–100 ("35%").</summary>
    Percent,

    /// <summary>Mean grade score on the 1 (Inadequate) – 4 (Outstanding) scale ("2.31").</summary>
    Score,

    /// <summary>A count of audits (small counts are withheld in reasons).</summary>
    Count,

    /// <summary>A plain number with one decimal ("24.1").</summary>
    Number,
}

/// <summary>Which kind of signal a feature is: the grade history a QA lead already sees, or a signal beside it.</summary>
public enum SignalKind
{
    /// <summary>The audit grade history: levels, changes, the usual level, counts, moderation.</summary>
    History,

    /// <summary>Workforce pressure: caseload and agency workers (the planted driver of the sample data).</summary>
    Workforce,

    /// <summary>Compliance: the paired KPIs and audit requests returned on time.</summary>
    Compliance,

    /// <summary>Complaints about the team.</summary>
    Complaints,
}

/// <summary>
/// One model feature: its column in <c>Sql/risk_features.sql</c> (and in the ML.NET row), the
/// words a director reads, its kind of signal, and for a change feature the level it is the change
/// of and over how many quarters.
/// </summary>
/// <param name="Column">Column name in the feature SQL and the ML.NET row.</param>
/// <param name="Words">Plain words for the measure, e.g. "agency-worker rate".</param>
/// <param name="Unit">How values are written.</param>
/// <param name="HigherIsBetter">Whether a higher value is better practice or conditions (null: neither).</param>
/// <param name="Kind">Grade history, or a pressure, compliance or complaints signal.</param>
/// <param name="ChangeOf">For a change feature, the level column it is the change of.</param>
/// <param name="Quarters">For a change feature, over how many quarters (1 or 2).</param>
/// <param name="AgainstYear">A change measured against the mean of the previous four quarters, not against one quarter.</param>
public sealed record RiskFeature(string Column, string Words, FeatureUnit Unit, bool? HigherIsBetter, SignalKind Kind, string? ChangeOf = null, int Quarters = 0, bool AgainstYear = false)
{
    public bool IsChange => ChangeOf is not null;

    /// <summary>Grade history: what the grades-only baseline sees.</summary>
    public bool History => Kind == SignalKind.History;

    /// <summary>A workforce-pressure measure (caseload, agency workers).</summary>
    public bool Pressure => Kind == SignalKind.Workforce;
}

/// <summary>Whether a higher value of a feature is better practice or conditions.</summary>
public enum Better
{
    /// <summary>Neither (a count of audits, say).</summary>
    Neither,

    /// <summary>Higher is better (a share Good or better, a KPI rate).</summary>
    Higher,

    /// <summary>Lower is better (caseload, agency workers, complaints).</summary>
    Lower,
}

/// <summary>
/// Declares a <see cref="TeamQuarter"/> property a model feature: the property is the ML.NET
/// column (its <c>[ColumnName]</c> is the column of <c>Sql/risk_features.sql</c>), this attribute
/// says the rest of its <see cref="RiskFeature"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FeatureAttribute(string words, FeatureUnit unit, SignalKind kind) : Attribute
{
    public string Words { get; } = words;

    public FeatureUnit Unit { get; } = unit;

    public SignalKind Kind { get; } = kind;

    public Better Better { get; set; }

    /// <summary>For a change feature, the level column it is the change of.</summary>
    public string? ChangeOf { get; set; }

    /// <summary>For a change feature, over how many quarters.</summary>
    public int Quarters { get; set; }

    /// <summary>A change measured against the mean of the previous four quarters.</summary>
    public bool AgainstYear { get; set; }
}

/// <summary>
/// The model's features, in the order of the feature vector: derived from the
/// <see cref="FeatureAttribute"/> properties of <see cref="TeamQuarter"/>, in declaration order,
/// so a feature is declared once.
/// </summary>
public static class RiskFeatures
{
    private static readonly (RiskFeature Feature, Func<TeamQuarter, float> Get, Action<TeamQuarter, float> Set)[] Declared =
        typeof(TeamQuarter).GetProperties()
            .Where(p => p.IsDefined(typeof(FeatureAttribute), inherit: false))
            .OrderBy(p => p.MetadataToken)
            .Select(p =>
            {
                var a = p.GetCustomAttribute<FeatureAttribute>()!;
                // ColumnNameAttribute keeps its name internal: read it from the attribute's constructor argument.
                var column = p.GetCustomAttributesData().Where(d => d.AttributeType == typeof(ColumnNameAttribute))
                    .Select(d => d.ConstructorArguments[0].Value as string).FirstOrDefault()
                    ?? throw new InvalidOperationException($"TeamQuarter.{p.Name} is a feature without a [ColumnName]");
                var higherIsBetter = a.Better switch { Better.Higher => true, Better.Lower => false, _ => (bool?)null };
                var feature = new RiskFeature(column, a.Words, a.Unit, higherIsBetter, a.Kind, a.ChangeOf, a.Quarters, a.AgainstYear);
                return (feature, p.GetGetMethod()!.CreateDelegate<Func<TeamQuarter, float>>(), p.GetSetMethod()!.CreateDelegate<Action<TeamQuarter, float>>());
            })
            .ToArray();

    private static readonly Dictionary<string, (RiskFeature Feature, Func<TeamQuarter, float> Get, Action<TeamQuarter, float> Set)> ByColumn =
        Declared.ToDictionary(d => d.Feature.Column, StringComparer.Ordinal);

    public static readonly IReadOnlyList<RiskFeature> All = [.. Declared.Select(d => d.Feature)];

    /// <summary>The feature columns, in vector order.</summary>
    public static readonly string[] Columns = All.Select(f => f.Column).ToArray();

    /// <summary>The grade-history columns: the baseline's features.</summary>
    public static readonly string[] HistoryColumns = All.Where(f => f.History).Select(f => f.Column).ToArray();

    /// <summary>The columns beside the grade history (pressure, compliance, complaints).</summary>
    public static readonly string[] SignalColumns = All.Where(f => !f.History).Select(f => f.Column).ToArray();

    public static RiskFeature Get(string column) => Property(column).Feature;

    internal static (RiskFeature Feature, Func<TeamQuarter, float> Get, Action<TeamQuarter, float> Set) Property(string column) =>
        ByColumn.TryGetValue(column, out var p) ? p : throw new KeyNotFoundException($"{column} is not a feature of the risk model");
}
