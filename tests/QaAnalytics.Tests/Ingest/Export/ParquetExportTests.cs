using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Export;

namespace QaAnalytics.Tests.Ingest.Export;

/// <summary>
/// Issue 11 §4: <c>qa-ingest export parquet</c> read back by DuckDB and by an independent reader
/// (hyparquet, from npm, in Node.js): the same row counts and the same aggregate, partitions by
/// council and financial year, a manifest naming the snapshot, and the README's query rebuilding a
/// published figure (share Good or better by council and year) equal to the RPC's.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ParquetExportTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>, IDisposable
{
    private readonly TestFiles _files = new();

    /// <summary>The README's query (Benchmarks-free, engine-neutral SQL): share Good or better by council and financial year.</summary>
    public const string ReadmeQuery = """
        SELECT la_code, financial_year,
               count(*) AS audits,
               sum(CASE WHEN is_good_or_better THEN 1 ELSE 0 END) AS good_or_better,
               sum(CASE WHEN is_good_or_better THEN 1 ELSE 0 END) * 1.0 / count(*) AS good_or_better_share
        FROM fact_audit
        GROUP BY la_code, financial_year
        ORDER BY la_code, financial_year
        """;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Export_ReadBackByDuckDbAndHyparquet_SameCountsAggregateAndPublishedFigure()
    {
        var readme = (await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "README.md"))).ReplaceLineEndings("\n");
        Assert.Contains(ReadmeQuery.ReplaceLineEndings("\n"), readme, StringComparison.Ordinal);
        var dir = Path.Combine(_files.Root, "export");
        Assert.Equal(ExitCodes.Ok, await IngestCli.RunAsync(["export", "parquet", "--db", fixture.DbPath, "--out", dir]));
        Assert.Equal(ExitCodes.InputRefused, await IngestCli.RunAsync(["export", "parquet", "--db", fixture.DbPath, "--out", dir]));

        var manifest = ParquetExport.ReadManifest(dir);
        using var source = new DuckDBConnection($"Data Source={fixture.DbPath};ACCESS_MODE=READ_ONLY");
        source.Open();
        Assert.Equal(Scalar<string>(source, "SELECT snapshot_id FROM snapshot_info"), manifest.SnapshotId);
        Assert.True(Directory.Exists(Path.Combine(dir, "fact_audit", "la_code=846", "financial_year=2021-22")));

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        foreach (var table in manifest.Tables)
        {
            var path = Path.Combine(dir, table.Path);
            var read = table.PartitionedBy.Count > 0 ? $"read_parquet('{Path.Combine(path, "**", "*.parquet")}', hive_partitioning = true, hive_types_autocast = false)" : $"read_parquet('{path}')";
            Execute(duck, $"CREATE VIEW {table.Name} AS SELECT * FROM {read}");
            Assert.Equal(Scalar<long>(source, $"SELECT count(*) FROM {table.Name}"), Scalar<long>(duck, $"SELECT count(*) FROM {table.Name}"));
            Assert.Equal(table.Rows, Scalar<long>(duck, $"SELECT count(*) FROM {table.Name}"));
        }
        Assert.Equal(0, Scalar<long>(duck, "SELECT count(*) FROM (DESCRIBE fact_audit) WHERE column_name = 'child_id'"));
        Assert.Equal(Scalar<long>(source, "SELECT count(*) FILTER (is_good_or_better) FROM fact_audit"), Scalar<long>(duck, "SELECT count(*) FILTER (is_good_or_better) FROM fact_audit"));

        // The README's query rebuilds the published figure: GetGradeDistribution by council and year, unsuppressed.
        var figures = new List<(string La, string Year, long Audits, double Share)>();
        using (var cmd = duck.CreateCommand())
        {
            cmd.CommandText = ReadmeQuery;
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) figures.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDouble(4)));
        }
        var published = (await ArrowClient.ReadAsync(fixture.Client(0).GetGradeDistribution(new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialYear }))).Single();
        Assert.Equal(published.Rows.Select(r => ((string)r["la_code"]!, ((string)r["period"]!).Replace('/', '-'), (long)r["audits"]!)),
            figures.Select(f => (f.La, f.Year, f.Audits)));
        Assert.Equal(published.Rows.Select(r => Math.Round((double)r["effective_good_or_better_share"]!, 12)), figures.Select(f => Math.Round(f.Share, 12)));

        // An independent reader: hyparquet (npm), in Node.js.
        using var independent = JsonDocument.Parse(await Node(Path.Combine(Repository.Root(), "tests", "e2e", "parquet-read.mjs"), dir));
        var counts = independent.RootElement.GetProperty("tables");
        foreach (var table in manifest.Tables) Assert.Equal(table.Rows, counts.GetProperty(table.Name).GetInt64());
        Assert.Equal(Scalar<long>(duck, "SELECT count(*) FILTER (is_good_or_better) FROM fact_audit"), independent.RootElement.GetProperty("goodOrBetter").GetInt64());
        Assert.Equal(Scalar<long>(duck, "SELECT count(*) FROM fact_audit WHERE la_code = '846'"), independent.RootElement.GetProperty("auditsByCouncil").GetProperty("846").GetInt64());
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task<string> Node(string script, string argument)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"node {script} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
