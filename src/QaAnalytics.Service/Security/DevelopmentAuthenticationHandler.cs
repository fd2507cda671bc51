using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace QaAnalytics.Service.Security;

/// <summary>
/// Development mode only: authenticates every call as the configured development identity, with
/// no token. The default scheme only when <c>QaAnalytics:Auth:Mode = Development</c>.
/// </summary>
public sealed class DevelopmentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Development";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Registered always, chosen only in Development mode: in JWT mode it never authenticates anyone.
        if (auth.Value.Mode != AuthMode.Development) return Task.FromResult(AuthenticateResult.NoResult());
        var identity = auth.Value.Development;
        var claims = new List<Claim> { new(Roles.SubjectClaim, identity.Subject), new(Roles.RoleClaim, identity.Role) };
        if (!string.IsNullOrWhiteSpace(identity.LaCode)) claims.Add(new Claim(Roles.LaCodeClaim, identity.LaCode));
        if (!string.IsNullOrWhiteSpace(identity.ServiceArea)) claims.Add(new Claim(Roles.ServiceAreaClaim, identity.ServiceArea));
        if (!string.IsNullOrWhiteSpace(identity.TeamId)) claims.Add(new Claim(Roles.TeamIdClaim, identity.TeamId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, Roles.SubjectClaim, Roles.RoleClaim));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
