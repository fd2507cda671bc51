using Microsoft.ML.Data;
using QaAnalytics.Models.Risk;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Models.Risk;

/// <summary>Each feature is declared once, on <see cref="TeamQuarter"/>; the feature list, the accessors and the feature SQL agree with it.</summary>
[Collection(RiskCollection.Name)]
public sealed class RiskFeatureDeclarationTests(RiskDataFixture data)
{
    [Fact]
    public void Features_DerivedFromTeamQuarter_OnePerFloatColumnInDeclarationOrder()
    {
        var floatColumns = typeof(TeamQuarter).GetProperties()
            .Where(p => p.PropertyType == typeof(float) && p.IsDefined(typeof(ColumnNameAttribute), false))
            .OrderBy(p => p.MetadataToken)
            .Select(p => p.GetCustomAttributesData().Single(a => a.AttributeType == typeof(ColumnNameAttribute)).ConstructorArguments[0].Value)
            .ToList();

        Assert.Equal(floatColumns, RiskFeatures.Columns);
        Assert.Equal(30, RiskFeatures.All.Count);
        Assert.Equal(RiskFeatures.Columns.Length, RiskFeatures.Columns.Distinct().Count());
        Assert.All(RiskFeatures.All.Where(f => f.IsChange), f => Assert.Contains(f.ChangeOf!, RiskFeatures.Columns));
    }

    [Fact]
    public void Accessors_SetAndGetEveryFeature()
    {
        var row = new TeamQuarter();
        for (var i = 0; i < RiskFeatures.Columns.Length; i++) row.Set(RiskFeatures.Columns[i], i + 0.5f);

        Assert.Equal(RiskFeatures.Columns.Select((_, i) => i + 0.5f), RiskFeatures.Columns.Select(row.Value));
        Assert.Equal(3.5f, row.GoodOrBetterChange1);
        Assert.Throws<KeyNotFoundException>(() => row.Value("not_a_feature"));
    }

    [Fact]
    public void FeatureSql_ReturnsEveryDeclaredFeature_AndOnlyTheIdentityAndLabelBeside()
    {
        using var connection = data.OpenReadOnly();
        using var cmd = connection.Command("SELECT * FROM (" + RiskSql.Get("risk_features.sql").TrimEnd().TrimEnd(';') + ") LIMIT 0",
            ("min_audits", 1), ("min_reference_audits", 1), ("score_drop", 0.1), ("share_drop", 0.1));
        using var reader = cmd.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.Ordinal);

        string[] beside = ["team_id", "la_code", "service_area", "team_name", "quarter_label", "quarter_start", "quarter_index", "next_audits", "declined_next_quarter"];
        Assert.Equal(beside.Concat(RiskFeatures.Columns).Order(StringComparer.Ordinal), columns.Order(StringComparer.Ordinal));
        Assert.Equal(beside.Length + RiskFeatures.Columns.Length, columns.Count);
    }
}
