using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using DocumentKernelInfo = Microsoft.DotNet.Interactive.Documents.KernelInfo;

namespace QaAnalytics.Tests.Notebooks;

/// <summary>
/// Runs the C# cells of a Polyglot / .NET Interactive <c>.ipynb</c> in this process, in order, the
/// way "Run All" does in VS Code, but with no Jupyter server, no kernel process and no port. The
/// first cell that fails to compile, throws, or writes an error stops the run with a
/// <see cref="NotebookCellFailedException"/> naming the cell.
/// </summary>
/// <remarks>
/// Inputs go in through environment variables, because that is what a notebook can also read when
/// an analyst runs it by hand. They are process-wide, so callers must not run two notebooks at once
/// (the tests share one non-parallel collection).
/// </remarks>
internal static class NotebookRunner
{
    private const string CSharp = "csharp";

    /// <summary>
    /// Kernel names a cell may carry and still count as prose. Polyglot writes <c>markdown</c>;
    /// raw Jupyter cells come through as <c>raw</c> in some versions.
    /// </summary>
    private static readonly HashSet<string> ProseKernels = new(StringComparer.OrdinalIgnoreCase) { "markdown", "md", "raw" };

    /// <summary>Parses <paramref name="notebookPath"/> and submits each C# cell in order.</summary>
    /// <param name="notebookPath">Path of the <c>.ipynb</c>.</param>
    /// <param name="environment">Variables set for the run and restored afterwards (null unsets).</param>
    /// <param name="cellTimeout">Longest a single cell may take, <c>#r "nuget:…"</c> restores included.</param>
    /// <param name="log">Receives one line per cell and the plain-text form of what it displayed.</param>
    public static async Task<NotebookRunResult> RunAsync(
        string notebookPath,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan cellTimeout,
        Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        log ??= static _ => { };
        var document = await ParseAsync(notebookPath, cancellationToken);

        var saved = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var previousDirectory = Environment.CurrentDirectory;
        try
        {
            // Formatters are static: one notebook's registrations must not leak into the next.
            Formatter.ResetToDefault();
            foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, value);
            // Jupyter and VS Code start the kernel in the notebook's folder; relative paths in the
            // notebook depend on that.
            Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;

            using var kernel = CreateKernel();
            var cells = new List<CellResult>();
            var total = Stopwatch.StartNew();
            for (var index = 0; index < document.Elements.Count; index++)
            {
                var element = document.Elements[index];
                if (ProseKernels.Contains(element.KernelName ?? "") || string.IsNullOrWhiteSpace(element.Contents))
                {
                    continue;
                }
                if (!string.Equals(element.KernelName, CSharp, StringComparison.OrdinalIgnoreCase))
                {
                    throw new NotebookCellFailedException(index, element.Contents,
                        $"kernel '{element.KernelName}' is not supported by the test runner (C# only)");
                }

                var cell = await SubmitAsync(kernel, index, element.Contents, cellTimeout, cancellationToken);
                cells.Add(cell);
                log($"cell {index}: {cell.Elapsed.TotalSeconds:0.00} s");
                foreach (var output in cell.Outputs) log(output);
            }
            return new NotebookRunResult(cells, total.Elapsed);
        }
        finally
        {
            Formatter.ResetToDefault();
            Environment.CurrentDirectory = previousDirectory;
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }

    private static async Task<InteractiveDocument> ParseAsync(string notebookPath, CancellationToken cancellationToken)
    {
        // The kernels a cell may name in its metadata; cells that name none take the default.
        var kernelInfos = new KernelInfoCollection
        {
            new DocumentKernelInfo(CSharp, "C#", ["c#", "C#", "cs"]),
            new DocumentKernelInfo("markdown", "Markdown", ["md"]),
        };
        kernelInfos.DefaultKernelName = CSharp;
        var json = await File.ReadAllTextAsync(notebookPath, cancellationToken);
        return Notebook.Parse(json, kernelInfos);
    }

    /// <summary>
    /// A C# kernel set up as dotnet-interactive sets up its own (the parts notebooks here use): kernel
    /// helpers such as <c>display</c>, value sharing, and <c>#r "nuget:…"</c> restored through the
    /// machine's NuGet configuration.
    /// </summary>
    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseValueSharing()
            .UseNugetDirective((k, resolved) =>
            {
                k.AddAssemblyReferences(resolved.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            });
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }

    private static async Task<CellResult> SubmitAsync(
        CompositeKernel kernel, int index, string code, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        KernelCommandResult result;
        try
        {
            result = await kernel.SendAsync(new SubmitCode(code, CSharp), cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotebookCellFailedException(index, code, $"timed out after {timeout.TotalSeconds:0} s");
        }
        watch.Stop();

        var compileErrors = result.Events.OfType<DiagnosticsProduced>()
            .SelectMany(d => d.Diagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Code} at {d.LinePositionSpan}: {d.Message}")
            .ToList();
        var errors = new List<string>(compileErrors);
        var outputs = new List<string>();
        foreach (var e in result.Events)
        {
            switch (e)
            {
                // A compile error also fails the command; its diagnostics above already say why.
                case CommandFailed when compileErrors.Count > 0:
                    break;
                case CommandFailed failed:
                    errors.Add(failed.Exception is { } ex ? $"{failed.Message}{Environment.NewLine}{ex}" : failed.Message);
                    break;
                case ErrorProduced error:
                    errors.Add(error.Message);
                    break;
                case StandardErrorValueProduced stderr:
                    errors.Add("stderr: " + PlainText(stderr));
                    break;
                case DisplayEvent display:
                    outputs.Add(PlainText(display));
                    break;
            }
        }
        if (errors.Count > 0)
        {
            throw new NotebookCellFailedException(index, code, string.Join(Environment.NewLine, errors.Distinct()));
        }
        return new CellResult(index, watch.Elapsed, outputs);
    }

    /// <summary>A readable line or table for the test log, whatever the notebook displayed.</summary>
    private static string PlainText(DisplayEvent e)
    {
        if (e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain") is { } plain) return plain.Value;
        if (e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/html") is { } html) return HtmlToText(html.Value);
        return e.FormattedValues.FirstOrDefault()?.Value ?? e.Value?.ToString() ?? "";
    }

    private static string HtmlToText(string html)
    {
        var text = Regex.Replace(html, "<(style|script)[^>]*>.*?</\\1>", "", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        text = Regex.Replace(text, "</t[dh]>", " | ", RegexOptions.IgnoreCase);
        text = Regex.Replace(text, "</tr>|<br\\s*/?>|</li>", "\n", RegexOptions.IgnoreCase);
        text = WebUtility.HtmlDecode(Regex.Replace(text, "<[^>]+>", ""));
        return string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
    }
}

/// <summary>What one notebook run did: each C# cell's time and plain-text outputs.</summary>
internal sealed record NotebookRunResult(IReadOnlyList<CellResult> Cells, TimeSpan Elapsed);

/// <summary>One executed cell; <see cref="Index"/> counts every cell in the file from 0, prose included.</summary>
internal sealed record CellResult(int Index, TimeSpan Elapsed, IReadOnlyList<string> Outputs);

/// <summary>A notebook cell failed to compile, threw, or wrote an error.</summary>
internal sealed class NotebookCellFailedException(int cellIndex, string code, string error)
    : Exception($"Notebook cell {cellIndex} (0-based, prose cells counted) failed: {error}{Environment.NewLine}--- cell source (first lines) ---{Environment.NewLine}{Head(code)}")
{
    public int CellIndex { get; } = cellIndex;

    public string Error { get; } = error;

    private static string Head(string code) => string.Join(Environment.NewLine, code.Split('\n').Take(8).Select(l => l.TrimEnd('\r')));
}
