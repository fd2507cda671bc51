using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace QaAnalytics.Tests.EndToEnd.Notebooks;

/// <summary>
/// One run of <c>scripts/notebooks.sh</c> (Jupyter nbconvert + the .NET Interactive kernel, the
/// README's way to run the notebooks headless) into a temporary folder, with what it printed and the
/// executed notebooks it wrote.
/// </summary>
internal sealed class JupyterRun
{
    /// <summary>Two kernel starts and a cold <c>#r "nuget:…"</c> restore on a busy machine fit well inside this.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    private JupyterRun(int exit, string log, string outDir) => (Exit, Log, OutDir) = (exit, log, outDir);

    public int Exit { get; }

    /// <summary>Standard output and error of the script, interleaved.</summary>
    public string Log { get; }

    public string OutDir { get; }

    /// <summary>Runs the script on <paramref name="notebooks"/> (default: every notebook in notebooks/) against <paramref name="database"/>.</summary>
    public static async Task<JupyterRun> RunAsync(string repoRoot, string database, Action<string> log, params string[] notebooks)
    {
        var outDir = Directory.CreateTempSubdirectory("qa-notebooks-out-").FullName;
        var info = new ProcessStartInfo("bash") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(repoRoot, "scripts", "notebooks.sh"));
        info.ArgumentList.Add(outDir);
        foreach (var notebook in notebooks) info.ArgumentList.Add(notebook);
        info.Environment["QA_DB"] = database;
        var text = new StringBuilder();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"scripts/notebooks.sh did not finish within {Timeout.TotalMinutes} min:\n{text}");
        }
        process.WaitForExit();  // drains the output readers
        string all;
        lock (text) all = text.ToString();
        log(all);
        return new JupyterRun(process.ExitCode, all, outDir);
    }

    /// <summary>The cells of the executed copy of <paramref name="notebook"/> (a path ending in its file name).</summary>
    public IReadOnlyList<JsonElement> Executed(string notebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, Path.GetFileName(notebook))));
        return [.. json.RootElement.GetProperty("cells").EnumerateArray().Select(c => c.Clone())];
    }

    /// <summary>Every text a cell displayed (HTML, plain text, stream), for assertions.</summary>
    public static IEnumerable<string> Texts(JsonElement cell)
    {
        if (!cell.TryGetProperty("outputs", out var outputs)) yield break;
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.TryGetProperty("text", out var stream)) yield return Join(stream);
            if (!output.TryGetProperty("data", out var data)) continue;
            foreach (var mime in new[] { "text/html", "text/plain" })
            {
                if (data.TryGetProperty(mime, out var value)) yield return Join(value);
            }
        }
    }

    private static string Join(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(v => v.GetString())) : value.GetString() ?? "";
}
