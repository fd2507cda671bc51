using System.Text.RegularExpressions;

namespace QaAnalytics.Tests.Architecture;

/// <summary>
/// The folder-level dependency picture in docs/architecture.md is checked against the code: for each
/// src project, a folder depends on another when one of its files imports (or fully qualifies) the
/// other's namespace. The graph must have no cycles, and the picture must list exactly its edges.
/// Files in a project's root (composition: Program, options) are left out: they may use every folder.
/// </summary>
public sealed partial class FolderDependencyTests
{
    public static TheoryData<string> Projects() => new() { "QaAnalytics.Models", "QaAnalytics.Ingest", "QaAnalytics.Service" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_depend_on_each_other_without_cycles(string project)
    {
        var graph = FolderGraph(project);
        Assert.NotEmpty(graph.Keys);
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"{project} has a folder cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_architecture_picture_matches_the_code(string project)
    {
        var actual = FolderGraph(project).SelectMany(kv => kv.Value.Select(to => $"{kv.Key} --> {to}")).Order(StringComparer.Ordinal).ToList();
        var drawn = DrawnEdges(project);
        var expected = string.Join("\n", actual.Select(e => "    " + e));
        Assert.True(actual.SequenceEqual(drawn),
            $"docs/architecture.md's picture for {project} differs from the code.\nMissing from the picture: {string.Join(", ", actual.Except(drawn))}\n" +
            $"In the picture but not the code: {string.Join(", ", drawn.Except(actual))}\nThe code's edges:\n{expected}");
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = new(StringComparer.Ordinal) { "B" },
            ["B"] = new(StringComparer.Ordinal) { "C" },
            ["C"] = new(StringComparer.Ordinal) { "A" },
            ["D"] = new(StringComparer.Ordinal) { "A" },
        };
        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
        graph["C"].Clear();
        Assert.Null(FindCycle(graph));
    }

    /// <summary>Folder → the folders it uses, in one project.</summary>
    internal static SortedDictionary<string, SortedSet<string>> FolderGraph(string project)
    {
        var root = Path.Combine(Repository.Root(), "src", project);
        var folders = Directory.GetDirectories(root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "web" or "node_modules") && Directory.EnumerateFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories).Any())
            .ToHashSet(StringComparer.Ordinal);
        var graph = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var uses = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in NamespaceUse().Matches(File.ReadAllText(file)))
                {
                    if (m.Groups["project"].Value != project) continue;
                    var used = m.Groups["folder"].Value;
                    if (used != folder && folders.Contains(used)) uses.Add(used);
                }
            }
            graph[folder] = uses;
        }
        return graph;
    }

    internal static List<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var n) ? n : [])
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.SkipWhile(p => p != next), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        }
        return null;
    }

    /// <summary>The edges drawn in docs/architecture.md's mermaid block marked <c>%% folders of {project}</c>.</summary>
    private static List<string> DrawnEdges(string project)
    {
        var doc = File.ReadAllLines(Path.Combine(Repository.Root(), "docs", "architecture.md"));
        var start = Array.FindIndex(doc, l => l.Trim() == $"%% folders of {project}");
        Assert.True(start >= 0, $"docs/architecture.md has no mermaid block marked '%% folders of {project}'");
        return doc.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => Edge().Match(l))
            .Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value} --> {m.Groups[2].Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex(@"\b(?<project>QaAnalytics\.(?:Models|Ingest|Service))\.(?<folder>[A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex NamespaceUse();

    [GeneratedRegex(@"^\s*([A-Za-z0-9]+)\s*-->\s*([A-Za-z0-9]+)\s*$")]
    private static partial Regex Edge();
}
