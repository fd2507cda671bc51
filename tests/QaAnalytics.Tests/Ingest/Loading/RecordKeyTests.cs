using QaAnalytics.Ingest.Loading;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>Record keys are given at ingest, kept when a row is reloaded, and uniform in [0, 2^32).</summary>
public sealed class RecordKeyTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Load_EveryFactRow_GetsAKeyThatAReloadKeeps()
    {
        HandMadeDataset.WriteAll(_files);
        var loader = new Loader(Pseudonymiser.Demo(), TimeProvider.System);
        Assert.False((await loader.LoadAsync(new LoadRequest(_files.DbPath, _files.Input))).Failed);
        var tables = new[] { "fact_audit", "fact_audit_request", "fact_kpi", "fact_complaint" };
        var first = tables.ToDictionary(t => t, t => _files.Rows($"SELECT source_line, record_key FROM {t} ORDER BY source_line").Select(r => $"{r[0]}:{r[1]}").ToList());

        Assert.False((await loader.LoadAsync(new LoadRequest(_files.DbPath, _files.Input))).Failed);

        foreach (var table in tables)
        {
            Assert.Equal(0L, _files.Scalar<long>($"SELECT count(*) FROM {table} WHERE record_key IS NULL OR record_key >= 4294967296"));
            Assert.NotEmpty(first[table]);
            Assert.Equal(first[table], _files.Rows($"SELECT source_line, record_key FROM {table} ORDER BY source_line").Select(r => $"{r[0]}:{r[1]}").ToList());
        }
        // Distinct rows, distinct keys (a collision among a few dozen keys in 2^32 would be a bug).
        Assert.Equal(_files.Scalar<long>("SELECT count(*) FROM fact_audit"), _files.Scalar<long>("SELECT count(DISTINCT record_key) FROM fact_audit"));
    }
}
