using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>The risk tests share one trained model (training takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class RiskCollection : ICollectionFixture<RiskDataFixture>
{
    public const string Name = "Risk model";
}

/// <summary>
/// A generated dataset with the sample's planted causal structure (12 councils, 3 financial years:
/// about 2,000 team-quarters; on 8 the verdict's PR-AUC interval clears zero by only 0.005, on 12
/// by 0.1), loaded by the real loader into a published snapshot; its feature table is read, the
/// model trained (backtest included) and the flags published once for the risk tests.
/// </summary>
public sealed class RiskDataFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "qa-risk-tests-" + Guid.NewGuid().ToString("N"));

    public string DbPath => Path.Combine(_folder, "qa.duckdb");

    public string SampleDir => Path.Combine(_folder, "in");

    public string ModelDir => Path.Combine(_folder, "model");

    public string SnapshotId { get; private set; } = "";

    public List<TeamQuarter> Rows { get; private set; } = [];

    public RiskModel Model { get; private set; } = null!;

    public static readonly TimeProvider Time = new FixedTime(new DateTimeOffset(2026, 4, 20, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        SampleGenerator.Write(new SampleOptions(SampleDir, Councils: 12, Years: 3, Seed: 42));
        var report = await new Loader(Pseudonymiser.Demo(), Time).LoadAsync(new LoadRequest(DbPath, SampleDir));
        if (report.Failed) throw new InvalidOperationException(report.Error);
        SnapshotId = report.RunId;
        using (var connection = OpenReadOnly())
        {
            Rows = RiskFeatureReader.Read(connection, RiskLabel.Default);
        }
        Model = RiskModel.Train(Rows, SnapshotId, new RiskModelOptions(), Time);
        Model.Save(ModelDir);
        Scored = RiskScoring.Score(DbPath, Model, Path.Combine(ModelDir, RiskModel.ModelFile), keep: 10, new SteppingTime(DateTimeOffset.UtcNow));
    }

    /// <summary>The first scoring run, published over the loaded snapshot.</summary>
    public ScoreReport Scored { get; private set; } = null!;

    public DuckDBConnection OpenReadOnly()
    {
        var connection = new DuckDBConnection($"Data Source={DbPath};ACCESS_MODE=READ_ONLY");
        connection.Open();
        return connection;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
