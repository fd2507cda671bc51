using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace QaAnalytics.Service.Security;

/// <summary>
/// API keys beside bearer tokens: a policy scheme becomes the default and sends a request that
/// presents a key to <see cref="ApiKeyAuthenticationHandler"/>, and any other to the configured
/// mode's scheme (JWT, or Development).
/// </summary>
public static class ApiKeyExtensions
{
    public const string PolicyScheme = "QaAnalytics";

    public static WebApplicationBuilder AddQaAnalyticsApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(PolicyScheme, "API key or the configured scheme", policy => policy.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Presents(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Mode == AuthMode.Development
                        ? DevelopmentAuthenticationHandler.SchemeName
                        : JwtBearerDefaults.AuthenticationScheme);
        builder.Services.PostConfigure<AuthenticationOptions>(a => a.DefaultScheme = PolicyScheme);
        // The hosting log's "Request starting … GET /api/v1/x?api_key=…" line would write the key: keep it off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }
}
