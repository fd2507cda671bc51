using System.Security.Claims;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Security;

/// <summary>
/// Who is asking and what they may see. <see cref="LaCode"/> null means every council: a regional
/// partner (council level only), or the Development identity with no council configured.
/// </summary>
public sealed record Caller(string Subject, Role Role, string? LaCode, string? ServiceArea, string? TeamId)
{
    /// <summary>The one council the caller's figures are limited to; null for a regional partner (every council, council level only) or the all-council Development identity.</summary>
    public string? OwnCouncil => Role == Role.RegionalPartner ? null : LaCode;

    /// <summary>
    /// The call makes an output for publication (an export, a published evidence pack, a public
    /// feed): outside the council whoever asks, so its counts are perturbed like a regional partner's.
    /// </summary>
    public bool ForPublication { get; init; }

    /// <summary>Who the figures are for: the council's own staff, or anyone outside it (a regional partner, or a publication).</summary>
    public Audience Audience => Role == Role.RegionalPartner || ForPublication ? Audience.Outside : Audience.Council;

    /// <summary>A key of what the caller may see: two callers with the same key get the same answers (the result cache shares by it).</summary>
    public string AccessKey => $"{Roles.Name(Role)}|{LaCode}|{ServiceArea}|{TeamId}|{Audience}";

    public override string ToString() => Role switch
    {
        Role.TeamManager => $"{Subject} ({Roles.Name(Role)} of {LaCode}/{TeamId})",
        Role.ServiceManager => $"{Subject} ({Roles.Name(Role)} of {LaCode}/{ServiceArea})",
        _ => $"{Subject} ({Roles.Name(Role)} of {LaCode ?? "every council"})",
    };

    /// <summary>The caller a validated token describes; <see cref="AccessDeniedException"/> when its claims do not make a complete role.</summary>
    public static Caller FromClaims(ClaimsPrincipal user)
    {
        var subject = One(user, Roles.SubjectClaim) ?? throw new AccessDeniedException($"the token has no {Roles.SubjectClaim} claim");
        var roles = user.FindAll(Roles.RoleClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count != 1) throw new AccessDeniedException($"the token must carry exactly one {Roles.RoleClaim} claim ({string.Join(", ", Roles.Names)})");
        if (!Roles.TryParse(roles[0], out var role)) throw new AccessDeniedException($"'{roles[0]}' is not a role ({string.Join(", ", Roles.Names)})");
        var caller = new Caller(subject, role, One(user, Roles.LaCodeClaim), One(user, Roles.ServiceAreaClaim), One(user, Roles.TeamIdClaim));
        // Deny by default: a role without the claims that bound it gets nothing rather than everything.
        if (role != Role.RegionalPartner && caller.LaCode is null) throw new AccessDeniedException($"a {roles[0]} token needs a {Roles.LaCodeClaim} claim");
        if (role == Role.ServiceManager && caller.ServiceArea is null) throw new AccessDeniedException($"a service_manager token needs a {Roles.ServiceAreaClaim} claim");
        if (role == Role.TeamManager && caller.TeamId is null) throw new AccessDeniedException($"a team_manager token needs a {Roles.TeamIdClaim} claim");
        return caller;
    }

    private static string? One(ClaimsPrincipal user, string type)
    {
        var values = user.FindAll(type).Select(c => c.Value.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new AccessDeniedException($"the token carries more than one {type} claim"),
        };
    }
}

/// <summary>Who figures are for: inside the council exact (or suppressed where configured), outside it perturbed by the cell key method.</summary>
public enum Audience { Council, Outside }
