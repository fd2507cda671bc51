using System.Text.Json;

namespace QaAnalytics.Tests.Notebooks;

/// <summary>The runner itself: that a broken cell fails the run and says which cell and why.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookRunnerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private readonly string _folder = Directory.CreateTempSubdirectory("qa-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RunAsync_AllCellsSucceed_SkipsMarkdownAndReportsEachCodeCell()
    {
        var path = Write(Markdown("# Title"), Code("var x = 20;"), Markdown("Some prose."), Code("display(x + 1);"));

        var result = await NotebookRunner.RunAsync(path, NoEnvironment, Timeout);

        Assert.Equal([1, 3], result.Cells.Select(c => c.Index));
        Assert.Contains("21", result.Cells[1].Outputs);
    }

    [Fact]
    public async Task RunAsync_CellThrows_FailsWithCellIndexAndMessage()
    {
        var path = Write(Markdown("# Title"), Code("var total = 99;"),
            Code("""if (total != 100) throw new InvalidOperationException("shares sum to 99%");"""));

        var error = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NoEnvironment, Timeout));

        Assert.Equal(2, error.CellIndex);
        Assert.Contains("shares sum to 99%", error.Message);
    }

    [Fact]
    public async Task RunAsync_CompileError_FailsWithDiagnostic()
    {
        var path = Write(Code("int n = \"not a number\";"));

        var error = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NoEnvironment, Timeout));

        Assert.Equal(0, error.CellIndex);
        Assert.Contains("CS0029", error.Error);
    }

    [Fact]
    public async Task RunAsync_CellWritesToStandardError_Fails()
    {
        var path = Write(Code("Console.Error.WriteLine(\"query returned nothing\");"));

        var error = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NoEnvironment, Timeout));

        Assert.Contains("query returned nothing", error.Error);
    }

    [Fact]
    public async Task RunAsync_EnvironmentVariable_VisibleToCellsThenRestored()
    {
        const string name = "QA_RUNNER_TEST_VALUE";
        Environment.SetEnvironmentVariable(name, "before");
        var path = Write(Code($"""display(Environment.GetEnvironmentVariable("{name}"));"""));

        var result = await NotebookRunner.RunAsync(path, new Dictionary<string, string?> { [name] = "during" }, Timeout);

        Assert.Contains("during", result.Cells[0].Outputs);
        Assert.Equal("before", Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, null);
    }

    [Fact]
    public async Task RunAsync_Cells_RunInTheNotebooksFolder()
    {
        var path = Write(Code("display(Environment.CurrentDirectory);"));

        var result = await NotebookRunner.RunAsync(path, NoEnvironment, Timeout);

        Assert.Equal(Path.GetFullPath(_folder), Assert.Single(result.Cells[0].Outputs));
    }

    private static Dictionary<string, object> Markdown(string text) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new Dictionary<string, object>(),
        ["source"] = text,
    };

    private static Dictionary<string, object> Code(string code) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null!,
        ["metadata"] = new Dictionary<string, object>
        {
            ["dotnet_interactive"] = new Dictionary<string, string> { ["language"] = "csharp" },
            ["polyglot_notebook"] = new Dictionary<string, string> { ["kernelName"] = "csharp" },
        },
        ["outputs"] = Array.Empty<object>(),
        ["source"] = code,
    };

    private string Write(params Dictionary<string, object>[] cells)
    {
        var notebook = new Dictionary<string, object>
        {
            ["cells"] = cells,
            ["metadata"] = new Dictionary<string, object>
            {
                ["kernelspec"] = new Dictionary<string, string> { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(_folder, "test.ipynb");
        File.WriteAllText(path, JsonSerializer.Serialize(notebook));
        return path;
    }
}
