using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.EndToEnd.Notebooks;

/// <summary>
/// A published QA database for the notebooks to run against, built once per test class in a
/// temporary folder by the real generator and loader, and deleted afterwards.
/// </summary>
public sealed class NotebookDatabaseFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "qa-notebooks-" + Guid.NewGuid().ToString("N"));

    /// <summary>The repository root (the folder holding <c>QaAnalytics.sln</c>).</summary>
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Path of the database the notebooks are given through <c>QA_DB</c>.</summary>
    public string DatabasePath => Path.Combine(_folder, "qa.duckdb");

    /// <summary>How long <see cref="BuildDatabaseAsync"/> took, for the test log.</summary>
    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await BuildDatabaseAsync(DatabasePath);
        BuildTime = watch.Elapsed;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A notebook that failed half-way may still hold the file; the temp folder is harmless.
        }
        return Task.CompletedTask;
    }

    /// <summary>One value read from the fixture database.</summary>
    public T Scalar<T>(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={DatabasePath};ACCESS_MODE=READ_ONLY");
        connection.Open();
        return Query.Scalar<T>(connection, sql);
    }

    /// <summary>Walks up from the test binaries to the folder that holds <c>QaAnalytics.sln</c>.</summary>
    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QaAnalytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No QaAnalytics.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Creates the database the notebooks read the way production does: the generator's dirty
    /// sample (one council, two financial years, planted bad rows) loaded by the real loader, then
    /// the team risk model trained and every team scored into a new snapshot.
    /// </summary>
    private async Task BuildDatabaseAsync(string path)
    {
        var input = Path.Combine(_folder, "in");
        SampleGenerator.Write(new SampleOptions(input, Councils: 1, Years: 3, Dirty: true));
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(path, input));
        if (report.Failed) throw new InvalidOperationException(report.Error);

        // The risk model notebook reads what `qa-ingest model train` and `model score` write.
        List<TeamQuarter> rows;
        using (var connection = new DuckDBConnection($"Data Source={path};ACCESS_MODE=READ_ONLY"))
        {
            connection.Open();
            rows = RiskFeatureReader.Read(connection, RiskLabel.Default);
        }
        var model = RiskModel.Train(rows, report.RunId, new RiskModelOptions(), TimeProvider.System);
        var modelDir = Path.Combine(_folder, "risk-model");
        model.Save(modelDir);
        RiskScoring.Score(path, model, Path.Combine(modelDir, RiskModel.ModelFile), keep: 3, TimeProvider.System);
    }
}
