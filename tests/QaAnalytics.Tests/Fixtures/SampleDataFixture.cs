using QaAnalytics.Ingest.Sample;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// One clean and one dirty run with the same options (3 councils, 2 financial years: April 2024 to
/// March 2026), generated once for all the sample tests and read back lazily.
/// </summary>
public sealed class SampleDataFixture : IDisposable
{
    private readonly Dictionary<string, CsvTable> _clean = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CsvTable> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SampleDataFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "qa-sample-tests-" + Guid.NewGuid().ToString("N"));
        CleanOptions = new SampleOptions(Path.Combine(Root, "clean"), Councils: 3, Years: 2, Seed: 42);
        DirtyOptions = CleanOptions with { OutDir = Path.Combine(Root, "dirty"), Dirty = true };
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        CleanSummary = SampleGenerator.Write(CleanOptions);
        DirtySummary = SampleGenerator.Write(DirtyOptions);
    }

    public string Root { get; }
    public SampleOptions CleanOptions { get; }
    public SampleOptions DirtyOptions { get; }
    public SampleSummary CleanSummary { get; }
    public SampleSummary DirtySummary { get; }

    internal CsvTable Clean(string file) => Get(_clean, CleanOptions.OutDir, file);

    internal CsvTable Dirty(string file) => Get(_dirty, DirtyOptions.OutDir, file);

    private CsvTable Get(Dictionary<string, CsvTable> cache, string dir, string file)
    {
        lock (_gate)
        {
            if (!cache.TryGetValue(file, out var table))
            {
                var encoding = ReferenceEquals(cache, _dirty) && file == SampleFiles.Teams
                    ? System.Text.Encoding.GetEncoding(1252)
                    : null;
                table = SampleCsv.Read(Path.Combine(dir, file), encoding);
                cache[file] = table;
            }
            return table;
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
