using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// Bearer JWTs for the tests, signed with a test-only HMAC key that the JWT-mode service is
/// configured with (<see cref="Settings"/>), as a council's identity provider would issue them.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://idp.test.invalid/";
    public const string Audience = "qa-analytics-test";

    /// <summary>32 bytes, for tests only.</summary>
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["QaAnalytics:Auth:Mode"] = "Jwt",
        ["QaAnalytics:Auth:Issuer"] = Issuer,
        ["QaAnalytics:Auth:Audience"] = Audience,
        ["QaAnalytics:Auth:SigningKeys:0"] = Convert.ToBase64String(Key),
    };

    /// <summary>A token for a role, with the claims given (null: left out).</summary>
    public static string For(string role, string? laCode = null, string? serviceArea = null, string? teamId = null, string subject = "user-1",
        string issuer = Issuer, string audience = Audience, byte[]? key = null, DateTime? expires = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("qa_role", role) };
        if (laCode is not null) claims.Add(new Claim("la_code", laCode));
        if (serviceArea is not null) claims.Add(new Claim("service_area", serviceArea));
        if (teamId is not null) claims.Add(new Claim("team_id", teamId));
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = expiry.AddMinutes(-30),
            IssuedAt = expiry.AddMinutes(-30),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }
}
