using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.EndToEnd.Notebooks;

/// <summary>
/// Environment variables are process-wide and the notebooks read theirs from the environment, so
/// notebook runs never overlap with each other or with other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "Notebooks";
}

/// <summary>Runs every notebook in <c>notebooks/</c> top to bottom against the fixture database.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookTests(NotebookDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<NotebookDatabaseFixture>
{
    /// <summary>Generous enough for a cold <c>#r "nuget:…"</c> restore on a slow machine.</summary>
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Notebook paths relative to the repository root, one test case each.</summary>
    public static TheoryData<string> Notebooks()
    {
        var root = NotebookDatabaseFixture.FindRepoRoot();
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, path).Replace('\\', '/'));
        }
        return data;
    }

    [Fact]
    public void Notebooks_Folder_HasAtLeastOneNotebook() => Assert.NotEmpty(Notebooks());

    /// <summary>
    /// VS Code (Polyglot Notebooks) and Jupyter (.NET Interactive kernel) both open the file as C#,
    /// and it is committed without outputs: outputs of a real run are data about children's services
    /// and do not belong in the repository.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_File_IsCSharpPolyglotWithoutOutputs(string notebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(database.RepoRoot, notebook)));
        var root = json.RootElement;
        var metadata = root.GetProperty("metadata");

        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach (var cell in root.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
        {
            Assert.Equal("csharp", cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, cell.GetProperty("execution_count").ValueKind);
        }
    }

    /// <summary>
    /// A notebook's <c>#r "nuget:…"</c> must name the version in Directory.Packages.props: the test
    /// project's own restore then has that exact package in the NuGet cache, so the notebook's restore
    /// inside the test needs no network and takes seconds.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_NuGetReferences_MatchCentralPackageVersions(string notebook)
    {
        var central = XDocument.Load(Path.Combine(database.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(database.RepoRoot, notebook)));
        var code = string.Join("\n", json.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(line => line.GetString()))));
        var references = Regex.Matches(code, @"#r\s+""nuget:\s*([^,""]+?)\s*,\s*([^""]+?)\s*""");

        foreach (Match reference in references)
        {
            var (package, version) = (reference.Groups[1].Value, reference.Groups[2].Value);
            Assert.True(central.TryGetValue(package, out var expected), $"{package} is not in Directory.Packages.props");
            Assert.Equal(expected, version);
        }
    }

    /// <summary>
    /// Every notebook through the newcomer's path (README, Notebooks): <c>scripts/notebooks.sh</c>,
    /// which runs Jupyter's nbconvert with the .NET Interactive kernel and fails on a failing cell or
    /// on anything a cell writes to standard error, compiler warnings included.
    /// </summary>
    [Fact]
    public async Task NotebooksScript_AllNotebooksAgainstFixtureDatabase_EveryCellRanWithoutStandardError()
    {
        var run = await JupyterRun.RunAsync(database.RepoRoot, database.DatabasePath, output.WriteLine);

        Assert.True(run.Exit == 0, $"scripts/notebooks.sh exited with {run.Exit}:\n{run.Log}");
        foreach (var notebook in Notebooks().Cast<object[]>().Select(row => (string)row[0]))
        {
            var executed = run.Executed(notebook);
            var code = executed.Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
            Assert.NotEmpty(code);
            Assert.All(code, c => Assert.Equal(JsonValueKind.Number, c.GetProperty("execution_count").ValueKind));
            Assert.DoesNotContain(code.SelectMany(c => c.GetProperty("outputs").EnumerateArray()),
                o => o.GetProperty("output_type").GetString() == "error" || (o.TryGetProperty("name", out var n) && n.GetString() == "stderr"));
        }
        // Notebook 02 shows its metrics to three decimals (0.514 and 0.464 must not both read "0.5").
        var rocAuc = database.Scalar<double>("SELECT model_roc_auc FROM risk_model");
        var shown = string.Join("\n", run.Executed("notebooks/02-risk-model.ipynb").SelectMany(JupyterRun.Texts));
        Assert.Contains($"<td>ROC-AUC</td><td>{rocAuc.ToString("0.000", CultureInfo.InvariantCulture)}</td>", shown, StringComparison.Ordinal);
    }

    /// <summary>A cell with a compiler warning fails the script, as Jupyter shows the warning under the cell.</summary>
    [Fact]
    public async Task NotebooksScript_CellWithCompilerWarning_FailsNamingTheCell()
    {
        var folder = Directory.CreateTempSubdirectory("qa-notebook-warning-").FullName;
        try
        {
            var source = File.ReadAllText(Path.Combine(database.RepoRoot, "notebooks", "02-risk-model.ipynb"));
            using var json = JsonDocument.Parse(source);
            var notebook = Path.Combine(folder, "warning.ipynb");
            File.WriteAllText(notebook, JsonSerializer.Serialize(new
            {
                cells = new[]
                {
                    new { cell_type = "code", execution_count = (int?)null, metadata = new { polyglot_notebook = new { kernelName = "csharp" } }, outputs = Array.Empty<object>(), source = new[] { "display(1 + 1);" } },
                    new { cell_type = "code", execution_count = (int?)null, metadata = new { polyglot_notebook = new { kernelName = "csharp" } }, outputs = Array.Empty<object>(), source = new[] { "record Named(string? Name);" } },
                },
                metadata = json.RootElement.GetProperty("metadata"),
                nbformat = 4,
                nbformat_minor = 4,
            }));

            var run = await JupyterRun.RunAsync(database.RepoRoot, database.DatabasePath, output.WriteLine, notebook);

            Assert.Equal(1, run.Exit);
            Assert.Contains("code cell 2", run.Log, StringComparison.Ordinal);
            Assert.Contains("warning CS8632", run.Log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
