using System.Security.Claims;
using Microsoft.Extensions.Options;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Security;

/// <summary>
/// The caller of a call, from its authenticated user. In Development mode the configured identity,
/// which alone may have no council (= every council); in JWT mode the token's claims, complete or refused.
/// </summary>
public sealed class CallerResolver(IOptions<AuthOptions> options)
{
    public Caller Resolve(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity) throw new AccessDeniedException("the call is not authenticated");
        if (options.Value.Mode == AuthMode.Development && identity.AuthenticationType == DevelopmentAuthenticationHandler.SchemeName)
        {
            var dev = options.Value.Development;
            if (!Roles.TryParse(dev.Role, out var role)) throw new AccessDeniedException($"'{dev.Role}' is not a role");
            return new Caller(dev.Subject, role, Blank(dev.LaCode), Blank(dev.ServiceArea), Blank(dev.TeamId));
        }
        return Caller.FromClaims(user);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
