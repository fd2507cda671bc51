using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace QaAnalytics.Service.Security;

/// <summary>Authentication (bearer JWT, or the explicit Development mode) and the caller resolver.</summary>
public static partial class SecurityExtensions
{
    public static WebApplicationBuilder AddQaAnalyticsSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CallerResolver>();
        // Both schemes are registered; the mode, read when options are (so every configuration source counts), picks the one in use.
        builder.Services.AddAuthentication()
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(DevelopmentAuthenticationHandler.SchemeName, null);
        builder.Services.AddOptions<AuthenticationOptions>().Configure<IOptions<AuthOptions>>((a, auth) =>
            a.DefaultScheme = auth.Value.Mode == AuthMode.Development ? DevelopmentAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Authentication registers Data Protection, which nothing here uses (no cookies, no antiforgery;
    /// bearer tokens and API keys are validated, never issued). Left as registered, it writes a key
    /// ring to the user profile at start-up and warns that the keys are unencrypted. Keys stay in
    /// memory instead, and no key ring is made at start-up. Called last: every later
    /// <c>AddAuthentication()</c> (the API key scheme's, say) would register the start-up key ring again.
    /// </summary>
    public static WebApplicationBuilder KeepDataProtectionInMemory(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        foreach (var keyRingAtStart in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            builder.Services.Remove(keyRingAtStart);
        }
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        if (auth.Mode != AuthMode.Jwt) return;
        // Claim names stay as the token has them (sub, qa_role, la_code, …), not mapped to WS-* URIs.
        jwt.MapInboundClaims = false;
        if (!string.IsNullOrWhiteSpace(auth.Authority)) jwt.Authority = auth.Authority;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = auth.Issuer,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = auth.SigningKeys.Select(SigningKeyParser.Parse).ToList(),
            ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
            NameClaimType = Roles.SubjectClaim,
            RoleClaimType = Roles.RoleClaim,
        };
    }

    /// <summary>Authentication before the endpoints; a loud start-up warning in Development mode.</summary>
    public static WebApplication UseQaAnalyticsSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QaAnalytics.Security");
        if (auth.Mode == AuthMode.Development)
        {
            var caller = app.Services.GetRequiredService<CallerResolver>().Resolve(DevelopmentPrincipal());
            LogDevelopmentMode(logger, caller.ToString());
        }
        else
        {
            LogJwtMode(logger, auth.Issuer ?? "", auth.Audience ?? "", auth.SigningKeys.Count, auth.Authority ?? "none");
        }
        return app;
    }

    private static ClaimsPrincipal DevelopmentPrincipal() => new(new ClaimsIdentity([], DevelopmentAuthenticationHandler.SchemeName));

    [LoggerMessage(200, LogLevel.Warning, "DEVELOPMENT AUTHENTICATION (QaAnalytics:Auth:Mode = Development): every call, with or without a token, is answered as {Caller}. For the demo and local work only: never serve real data this way.")]
    private static partial void LogDevelopmentMode(ILogger logger, string caller);

    [LoggerMessage(201, LogLevel.Information, "Bearer JWT required on data calls: issuer {Issuer}, audience {Audience}, {Keys} configured signing key(s), authority {Authority}")]
    private static partial void LogJwtMode(ILogger logger, string issuer, string audience, int keys, string authority);
}
