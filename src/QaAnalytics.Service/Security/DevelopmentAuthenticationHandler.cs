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

    /// <summary>
    /// The dashboard's role picker (Development mode only): a call carrying <c>X-QaAnalytics-Dev-Role</c>
    /// (and <c>-La-Code</c>, <c>-Service-Area</c>, <c>-Team-Id</c>) is answered as that identity, its claims
    /// checked as a token's would be. Never widens anything: Development mode already answers anyone.
    /// </summary>
    public const string PickedType = "Development.Picked";

    public const string RoleHeader = "X-QaAnalytics-Dev-Role";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Registered always, chosen only in Development mode: in JWT mode it never authenticates anyone.
        if (auth.Value.Mode != AuthMode.Development) return Task.FromResult(AuthenticateResult.NoResult());
        if (Request.Headers[RoleHeader] is { Count: > 0 } picked && !string.IsNullOrWhiteSpace(picked[0])) return Task.FromResult(Picked(picked[0]!));
        var identity = auth.Value.Development;
        var claims = new List<Claim> { new(Roles.SubjectClaim, identity.Subject), new(Roles.RoleClaim, identity.Role) };
        if (!string.IsNullOrWhiteSpace(identity.LaCode)) claims.Add(new Claim(Roles.LaCodeClaim, identity.LaCode));
        if (!string.IsNullOrWhiteSpace(identity.ServiceArea)) claims.Add(new Claim(Roles.ServiceAreaClaim, identity.ServiceArea));
        if (!string.IsNullOrWhiteSpace(identity.TeamId)) claims.Add(new Claim(Roles.TeamIdClaim, identity.TeamId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, Roles.SubjectClaim, Roles.RoleClaim));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private AuthenticateResult Picked(string role)
    {
        var claims = new List<Claim> { new(Roles.SubjectClaim, "development-" + role.Trim()), new(Roles.RoleClaim, role.Trim()) };
        foreach (var (header, claim) in new[] { ("X-QaAnalytics-Dev-La-Code", Roles.LaCodeClaim), ("X-QaAnalytics-Dev-Service-Area", Roles.ServiceAreaClaim), ("X-QaAnalytics-Dev-Team-Id", Roles.TeamIdClaim) })
        {
            if (Request.Headers[header] is { Count: > 0 } value && !string.IsNullOrWhiteSpace(value[0])) claims.Add(new Claim(claim, value[0]!.Trim()));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, PickedType, Roles.SubjectClaim, Roles.RoleClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
