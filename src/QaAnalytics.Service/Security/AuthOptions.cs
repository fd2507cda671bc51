using System.ComponentModel.DataAnnotations;

namespace QaAnalytics.Service.Security;

/// <summary>How callers prove who they are.</summary>
public enum AuthMode
{
    /// <summary>A bearer JWT from the council's identity provider on every data call (the default).</summary>
    Jwt,

    /// <summary>Development only: every caller is the configured <see cref="AuthOptions.Development"/> identity, without a token.</summary>
    Development,
}

/// <summary>
/// Authentication settings (section <c>QaAnalytics:Auth</c>; environment variables
/// <c>QaAnalytics__Auth__Issuer</c> etc.). Validated at start-up: in JWT mode the service does not
/// start without an issuer, an audience and a way to check signatures.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "QaAnalytics:Auth";

    /// <summary><c>Jwt</c> (default) or <c>Development</c> (the demo: no token, one configured identity, logged as development-only at start-up).</summary>
    public AuthMode Mode { get; set; } = AuthMode.Jwt;

    /// <summary>The <c>iss</c> a token must carry. Required in JWT mode.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry (this service's identifier at the identity provider). Required in JWT mode.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Keys that may have signed a token: each a PEM public key (RSA or EC, <c>-----BEGIN PUBLIC KEY-----</c>)
    /// or a base64 shared secret of at least 32 bytes (HMAC). Several allow a key rollover. Default none:
    /// then <see cref="Authority"/> must be set.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>An OpenID Connect authority whose published keys (discovery document, HTTPS) are used instead of, or beside, <see cref="SigningKeys"/>. Default none.</summary>
    public string? Authority { get; set; }

    /// <summary>Allowed clock difference when checking a token's lifetime, in seconds. Default 60.</summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>The identity every caller gets in Development mode.</summary>
    public DevelopmentIdentity Development { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == AuthMode.Development)
        {
            if (!Roles.TryParse(Development.Role, out _))
            {
                yield return new ValidationResult($"QaAnalytics:Auth:Development:Role '{Development.Role}' is not a role; use {string.Join(", ", Roles.Names)}");
            }
            yield break;
        }
        if (string.IsNullOrWhiteSpace(Issuer)) yield return new ValidationResult("QaAnalytics:Auth:Issuer is required (or set QaAnalytics:Auth:Mode=Development for the demo)");
        if (string.IsNullOrWhiteSpace(Audience)) yield return new ValidationResult("QaAnalytics:Auth:Audience is required (or set QaAnalytics:Auth:Mode=Development for the demo)");
        if (SigningKeys.Count == 0 && string.IsNullOrWhiteSpace(Authority))
        {
            yield return new ValidationResult("QaAnalytics:Auth:SigningKeys (or QaAnalytics:Auth:Authority) is required to check token signatures");
        }
        foreach (var (key, i) in SigningKeys.Select((k, i) => (k, i)))
        {
            string? problem = null;
            try
            {
                SigningKeyParser.Parse(key);
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
            }
            if (problem is not null) yield return new ValidationResult($"QaAnalytics:Auth:SigningKeys:{i}: {problem}");
        }
    }
}

/// <summary>Who every caller is in Development mode. Default: a director of every council in the data (<see cref="LaCode"/> empty), which only this mode can grant.</summary>
public sealed class DevelopmentIdentity
{
    /// <summary>Shown in the access log. Default <c>development</c>.</summary>
    public string Subject { get; set; } = "development";

    /// <summary>A role name (see <see cref="Roles"/>). Default <c>director</c>.</summary>
    public string Role { get; set; } = "director";

    /// <summary>The council; empty (default) = every council in the data.</summary>
    public string? LaCode { get; set; }

    /// <summary>For a service manager. Default none.</summary>
    public string? ServiceArea { get; set; }

    /// <summary>For a team manager. Default none.</summary>
    public string? TeamId { get; set; }
}
