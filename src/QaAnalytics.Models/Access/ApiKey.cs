namespace QaAnalytics.Models.Access;

/// <summary>
/// One API key as stored: its public id, what it grants (a role and its scope, as a token's claims
/// would), a label, when it was issued and revoked, and the SHA-256 of the key — never the key.
/// </summary>
public sealed record ApiKey(string Id, string Role, string? LaCode, string? ServiceArea, string? TeamId, string Name,
    DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string Sha256)
{
    public bool Revoked => RevokedAt is not null;
}
