using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>
/// A way of asking for more than a role may see, written "kind:value" in the theory data: a team, a
/// council or a service area named in the scope ("team:T2", "la:800", "area:Early Help"), or a
/// grouping ("group:council", "group:service_area", "group:team").
/// </summary>
internal static class ScopeAttempt
{
    public static (Scope Scope, OrgLevel GroupBy) Parse(string attempt)
    {
        var (kind, value) = (attempt[..attempt.IndexOf(':')], attempt[(attempt.IndexOf(':') + 1)..]);
        var scope = new Scope();
        var groupBy = OrgLevel.Unspecified;
        switch (kind)
        {
            case "team": scope.TeamIds.Add(value); break;
            case "la": scope.LaCodes.Add(value); break;
            case "area": scope.ServiceAreas.Add(value); break;
            default: groupBy = value switch { "council" => OrgLevel.Council, "service_area" => OrgLevel.ServiceArea, _ => OrgLevel.Team }; break;
        }
        return (scope, groupBy);
    }
}
