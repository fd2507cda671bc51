namespace QaAnalytics.Service.Security;

/// <summary>What a caller may see; the role claim's value names one.</summary>
public enum Role
{
    /// <summary>Director of Children's Services: all of their council.</summary>
    Director,

    /// <summary>Head of Quality Assurance: all of their council.</summary>
    QaLead,

    /// <summary>Their service area of their council.</summary>
    ServiceManager,

    /// <summary>Their team.</summary>
    TeamManager,

    /// <summary>QA or performance analyst: all of their council, small numbers always withheld.</summary>
    Analyst,

    /// <summary>A regional partner: council-level figures of every council (benchmarking), nothing below council level; small numbers always withheld.</summary>
    RegionalPartner,
}

/// <summary>The claims a token carries (names as in the token: inbound claim mapping is off) and the role names.</summary>
public static class Roles
{
    /// <summary>The caller's stable id, shown in the access log.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>One of <see cref="Names"/>; exactly one per token.</summary>
    public const string RoleClaim = "qa_role";

    /// <summary>The caller's council (LA code); required for every role except regional partner.</summary>
    public const string LaCodeClaim = "la_code";

    /// <summary>The service manager's service area (as in the teams data).</summary>
    public const string ServiceAreaClaim = "service_area";

    /// <summary>The team manager's team id (as in the teams data).</summary>
    public const string TeamIdClaim = "team_id";

    private static readonly Dictionary<string, Role> ByName = new(StringComparer.Ordinal)
    {
        ["director"] = Role.Director,
        ["qa_lead"] = Role.QaLead,
        ["service_manager"] = Role.ServiceManager,
        ["team_manager"] = Role.TeamManager,
        ["analyst"] = Role.Analyst,
        ["regional_partner"] = Role.RegionalPartner,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out Role role) => ByName.TryGetValue(name?.Trim() ?? "", out role);

    public static string Name(Role role) => ByName.First(p => p.Value == role).Key;
}
