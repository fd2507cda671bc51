using QaAnalytics.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddQaAnalytics();
var app = builder.Build();
app.MapQaAnalytics();
app.Run();
