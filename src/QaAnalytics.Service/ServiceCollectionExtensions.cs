using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using QaAnalytics.Service.Caching;
using QaAnalytics.Service.Dashboard;
using QaAnalytics.Service.Gate;
using QaAnalytics.Service.Http;
using QaAnalytics.Service.OData;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service;

public static class ServiceCollectionExtensions
{
    /// <summary>Options (validated at start-up), authentication, snapshots, queries, gRPC with reflection and health checks.</summary>
    public static WebApplicationBuilder AddQaAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceOptions>()
            .Bind(builder.Configuration.GetSection(ServiceOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.SuppressBelowOrAtByRole.All(p => Roles.TryParse(p.Key, out var role) && role != Role.RegionalPartner && p.Value is >= 0 and <= 100),
                "QaAnalytics:SuppressBelowOrAtByRole names council roles only (director, qa_lead, service_manager, team_manager, analyst), each with a threshold from 0 to 100")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        builder.AddQaAnalyticsSecurity();
        builder.Services.AddSingleton<SnapshotSource>();
        builder.Services.AddSingleton<AnalyticsQueries>();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServiceOptions>>().Value;
            return new QueryGate(o.MaxConcurrentQueries, o.MaxQueriesPerCaller, TimeSpan.FromSeconds(o.QueryTimeoutSeconds), TimeSpan.FromMilliseconds(o.HeavyQueryMilliseconds), o.HeavyQuerySlots, o.HeavyQueryThreads, o.HeavyPlanWeight, o.HeavyLanePercent / 100.0, o.LightQueryThreads, o.HeavyLaneLowPriority);
        });
        builder.Services.AddSingleton<ResultCache>(sp => new ResultCache(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.CacheMegabytes * (1L << 20)));
        builder.Services.AddSingleton<ResultRunner>();
        builder.Services.AddHostedService<DashboardWarmUp>();
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<SnapshotHealthCheck>("snapshot");
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var port = context.Configuration.GetSection(ServiceOptions.Section).GetValue<int?>(nameof(ServiceOptions.Port)) ?? new ServiceOptions().Port;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.AddQaAnalyticsHttp();
        builder.AddQaAnalyticsOData();
        builder.KeepDataProtectionInMemory();
        return builder;
    }

    /// <summary>
    /// The data RPCs require an authenticated caller (no token: Unauthenticated); health and
    /// reflection stay open, as they hold no data (health says only whether a snapshot is served,
    /// reflection describes the public contract).
    /// </summary>
    public static WebApplication MapQaAnalytics(this WebApplication app)
    {
        app.UseQaAnalyticsSecurity();
        app.MapQaAnalyticsDashboard();
        app.MapGrpcService<Grpc.QaAnalyticsService>().RequireAuthorization();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapQaAnalyticsHttp();
        app.MapQaAnalyticsOData();
        return app;
    }
}
