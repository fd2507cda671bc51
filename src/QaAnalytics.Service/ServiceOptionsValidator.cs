using Microsoft.Extensions.Options;

namespace QaAnalytics.Service;

/// <summary>
/// Checks that <see cref="ServiceOptions.DatabasePath"/> points at a published database. A relative
/// path is resolved against the working directory the service was started from (so
/// <c>dotnet run --project src/QaAnalytics.Service</c> from the repository root serves
/// <c>data/qa.duckdb</c> of the repository); the failure names the absolute path it checked.
/// </summary>
public sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath)) return ValidateOptionsResult.Skip;  // [Required] says so
        var full = Path.GetFullPath(options.DatabasePath);
        return File.Exists(full)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"QaAnalytics:DatabasePath: there is no published database at {full} (a relative path is resolved against the working directory); run qa-ingest load first, or bash scripts/demo.sh");
    }
}
