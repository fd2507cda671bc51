using QaAnalytics.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddQaAnalytics();
var app = builder.Build();
app.MapQaAnalytics();
if (args.Contains("--smoke")) return await SmokeCheck.RunAsync(app);
await app.RunAsync();
return 0;
