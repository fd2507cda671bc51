using System.Reflection;
using Microsoft.Extensions.Options;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service;

/// <summary>
/// Validates the configuration before the host starts, so a bad setting ends the process with one
/// line per problem on standard error and <see cref="ConfigurationRefused"/>, not the host's
/// unhandled-exception stack trace.
/// </summary>
public static class StartupCheck
{
    /// <summary>Exit code when the configuration is refused (for example no database at the configured path).</summary>
    public const int ConfigurationRefused = 3;

    /// <summary>True when every options class validates; otherwise writes each failure as one line to standard error.</summary>
    public static bool ConfigurationIsValid(WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            return true;
        }
        catch (OptionsValidationException ex) when (Assembly.GetEntryAssembly() == typeof(StartupCheck).Assembly)
        {
            // Its own process (qa-service): a line per problem and the exit code. Hosted by another
            // program (a test's WebApplicationFactory), the exception reaches that host instead.
            foreach (var failure in ex.Failures) Console.Error.WriteLine($"qa-service: {failure}");
            return false;
        }
    }
}
