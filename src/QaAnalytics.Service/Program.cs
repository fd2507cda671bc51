using QaAnalytics.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddQaAnalytics();
var app = builder.Build();
if (!StartupCheck.ConfigurationIsValid(app)) return StartupCheck.ConfigurationRefused;
app.MapQaAnalytics();
if (args.Contains("--smoke")) return await SmokeCheck.RunAsync(app);
await app.RunAsync();
return 0;

/// <summary>The service's entry point, public so that in-process tests can host it (<c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
