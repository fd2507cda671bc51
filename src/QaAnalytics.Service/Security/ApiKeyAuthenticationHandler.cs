using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using QaAnalytics.Models.Access;

namespace QaAnalytics.Service.Security;

/// <summary>
/// An API key (<c>X-API-Key</c> header, or the <c>api_key</c> query parameter that Power BI's Web API
/// key credential sends) becomes a principal with the claims a token for the key's role and scope
/// would carry, its subject <c>key:&lt;id&gt;</c> — so the access log names the key's id, never the key,
/// and the role is checked exactly as a token's is. A key that does not match, or is revoked, fails
/// authentication (401).
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string QueryName = "api_key";

    /// <summary>Whether a request presents a key at all (then this scheme, not the token's, decides).</summary>
    public static bool Presents(HttpRequest request) => request.Headers.ContainsKey(HeaderName) || request.Query.ContainsKey(QueryName);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[HeaderName].FirstOrDefault() ?? Request.Query[QueryName].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(presented)) return Task.FromResult(AuthenticateResult.NoResult());
        var key = keys.Match(presented.Trim());
        if (key is null)
        {
            LogRefused(Logger, ApiKeyStore.IdOf(presented.Trim()) ?? "(not a key)");
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid or has been revoked"));
        }
        var claims = new List<Claim> { new(Roles.SubjectClaim, "key:" + key.Id), new(Roles.RoleClaim, key.Role) };
        if (key.LaCode is not null) claims.Add(new Claim(Roles.LaCodeClaim, key.LaCode));
        if (key.ServiceArea is not null) claims.Add(new Claim(Roles.ServiceAreaClaim, key.ServiceArea));
        if (key.TeamId is not null) claims.Add(new Claim(Roles.TeamIdClaim, key.TeamId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, Roles.SubjectClaim, Roles.RoleClaim));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    [LoggerMessage(210, LogLevel.Warning, "Refused an API key: id {KeyId} is unknown, revoked or does not match")]
    private static partial void LogRefused(ILogger logger, string keyId);
}
