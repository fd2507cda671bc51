using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Risk;

/// <summary>
/// A small generated dataset with the sample's planted causal structure (4 councils, 3 financial
/// years), loaded by the real loader into a published snapshot, its feature table read once.
/// </summary>
public sealed class RiskDataFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "qa-risk-tests-" + Guid.NewGuid().ToString("N"));

    public string DbPath => Path.Combine(_folder, "qa.duckdb");

    public string SampleDir => Path.Combine(_folder, "in");

    public List<TeamQuarter> Rows { get; private set; } = [];

    public async Task InitializeAsync()
    {
        SampleGenerator.Write(new SampleOptions(SampleDir, Councils: 4, Years: 3, Seed: 42));
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(DbPath, SampleDir));
        if (report.Failed) throw new InvalidOperationException(report.Error);
        using var connection = new DuckDBConnection($"Data Source={DbPath};ACCESS_MODE=READ_ONLY");
        connection.Open();
        Rows = RiskFeatureReader.Read(connection, RiskLabel.Default);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
