using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>The loader against the generator's dirty data, whose every planted bad row is listed in truth/expected_rejects.csv.</summary>
public sealed class SampleLoadTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Load_DirtySample_RejectsExactlyThePlantedRowsOnTheirLines()
    {
        var summary = SampleGenerator.Write(new SampleOptions(_files.Input, Councils: 2, Years: 1, Seed: 7, Dirty: true));
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));

        Assert.False(report.Failed);
        foreach (var file in report.Files)
        {
            var planted = summary[file.FileName];
            Assert.Equal(planted.Rows, file.RowsRead);
            Assert.Equal(planted.ExpectedAccepted, file.RowsAccepted);
            Assert.Equal(planted.PlantedBadRows, file.RowsRejected);
        }

        var expected = File.ReadLines(Path.Combine(_files.Input, "truth", "expected_rejects.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(p => (p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToHashSet();
        var actual = _files.Rows("SELECT DISTINCT file_name, line_no FROM ingest_rejects")
            .Select(r => ((string)r[0]!, Convert.ToInt64(r[1])))
            .ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), actual.Order());
    }

    [Fact]
    public async Task Load_CleanSample_AcceptsEveryRow()
    {
        var summary = SampleGenerator.Write(new SampleOptions(_files.Input, Councils: 1, Years: 1, Seed: 3));
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));

        Assert.Equal(0L, report.RowsRejected);
        Assert.Equal(summary.Files.Where(f => !f.File.Contains('/')).Sum(f => f.Rows), report.RowsAccepted);
    }
}
