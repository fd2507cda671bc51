using System.Text.Json;
using System.Text.RegularExpressions;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.EndToEnd.Notebooks;

/// <summary>
/// The notebooks reference DuckDB.NET by NuGet, not this repository's assemblies (they run without a
/// build), so each writes the storage contract's schema version check itself: this keeps its number
/// the contract's, without running Jupyter.
/// </summary>
public sealed partial class NotebookStorageContractTests
{
    [Theory]
    [MemberData(nameof(NotebookTests.Notebooks), MemberType = typeof(NotebookTests))]
    public void Notebook_SchemaVersionCheck_IsTheStorageContracts(string notebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookDatabaseFixture.FindRepoRoot(), notebook)));
        var code = string.Concat(json.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("source").EnumerateArray().Select(l => l.GetString())));

        var declared = SchemaVersionConstant().Match(code);
        Assert.True(declared.Success, $"{notebook} does not check snapshot_info.schema_version");
        Assert.Equal(SnapshotSchema.Version, int.Parse(declared.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("ACCESS_MODE=READ_ONLY", code, StringComparison.Ordinal);
        Assert.Contains("SELECT schema_version FROM snapshot_info", code, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"const int SchemaVersion = (\d+);")]
    private static partial Regex SchemaVersionConstant();
}
