using System.Diagnostics;

namespace QaAnalytics.Service.Reports;

/// <summary>Prints an HTML file to PDF with headless Chromium (Debian's <c>chromium</c>; never a downloaded browser).</summary>
public static class ChromiumPdf
{
    /// <summary>Where to look for the browser: <c>QA_CHROMIUM</c> if set, then the usual Debian and Chrome paths.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("QA_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    /// <summary>Writes <paramref name="pdfPath"/> from <paramref name="htmlPath"/>; throws with Chromium's own words when it fails.</summary>
    public static async Task PrintAsync(string htmlPath, string pdfPath, CancellationToken ct)
    {
        var chromium = Find() ?? throw new FileNotFoundException(
            "Chromium was not found (set QA_CHROMIUM, or on Debian: apt-get install chromium); the HTML is written, the PDF needs Chromium.");
        var profile = Directory.CreateTempSubdirectory("qa-chromium-");
        try
        {
            var info = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
                $"--user-data-dir={profile.FullName}", $"--print-to-pdf={Path.GetFullPath(pdfPath)}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
            }) info.ArgumentList.Add(arg);
            File.Delete(pdfPath);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("Chromium did not print the evidence pack within 60 s.");
            }
            if (process.ExitCode != 0 || !File.Exists(pdfPath) || new FileInfo(pdfPath).Length == 0)
            {
                throw new InvalidOperationException($"Chromium could not print the evidence pack (exit {process.ExitCode}): {(await stderr).Trim()}");
            }
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
