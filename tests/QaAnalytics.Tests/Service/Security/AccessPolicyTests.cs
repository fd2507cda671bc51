using QaAnalytics.Contracts.V1;
using QaAnalytics.Service;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>
/// The access policy on its own, without a service or a snapshot: the scope each role is narrowed
/// to, the levels it may group by, and deny by default for every way of asking for more.
/// </summary>
public sealed class AccessPolicyTests
{
    private static readonly Caller Director = new("dir-1", Role.Director, "938", null, null);
    private static readonly Caller QaLead = new("qa-1", Role.QaLead, "938", null, null);
    private static readonly Caller Analyst = new("an-1", Role.Analyst, "938", null, null);
    private static readonly Caller ServiceManager = new("sm-1", Role.ServiceManager, "938", "Assessment", null);
    private static readonly Caller TeamManager = new("tm-1", Role.TeamManager, "938", null, "T1");
    private static readonly Caller Partner = new("rp-1", Role.RegionalPartner, "999", null, null);

    /// <summary>The snapshot's teams: T1 (Assessment) and T2 (Children in Care) of 938, B1 (Assessment) of 846.</summary>
    private static (string LaCode, string ServiceArea)? Team(string id) => id switch
    {
        "T1" => ("938", "Assessment"),
        "T2" => ("938", "Children in Care"),
        "B1" => ("846", "Assessment"),
        _ => null,
    };

    private static Access Apply(Caller caller, Scope? scope = null, OrgLevel groupBy = OrgLevel.Unspecified, OrgLevel defaultGroupBy = OrgLevel.Council,
        ServiceOptions? options = null) =>
        AccessPolicy.Apply(caller, new AccessRequest(scope, groupBy, defaultGroupBy) { Grain = PeriodGrain.FinancialYear }, Team, options ?? new ServiceOptions());

    [Fact]
    public void Apply_CouncilWideRoles_AreNarrowedToTheirCouncil()
    {
        foreach (var caller in new[] { Director, QaLead, Analyst })
        {
            var access = Apply(caller);

            Assert.Equal(["938"], access.Scope.LaCodes);
            Assert.Empty(access.Scope.ServiceAreas);
            Assert.Empty(access.Scope.TeamIds);
            Assert.Equal(OrgLevel.Council, access.GroupBy);
        }
    }

    [Fact]
    public void Apply_ServiceManager_IsNarrowedToTheirAreaAndGroupsNoCoarserThanIt()
    {
        var access = Apply(ServiceManager);

        Assert.Equal(["938"], access.Scope.LaCodes);
        Assert.Equal(["Assessment"], access.Scope.ServiceAreas);
        Assert.Empty(access.Scope.TeamIds);
        Assert.Equal(OrgLevel.ServiceArea, access.GroupBy);
    }

    [Fact]
    public void Apply_TeamManager_IsNarrowedToTheirTeamAndGroupsByTeam()
    {
        var access = Apply(TeamManager);

        Assert.Equal(["938"], access.Scope.LaCodes);
        Assert.Equal(["T1"], access.Scope.TeamIds);
        Assert.Equal(OrgLevel.Team, access.GroupBy);
    }

    [Fact]
    public void Apply_RegionalPartner_SeesEveryCouncilAtCouncilLevel_Perturbed()
    {
        var access = Apply(Partner, defaultGroupBy: OrgLevel.Team);

        Assert.Empty(access.Scope.LaCodes);
        Assert.Equal(OrgLevel.Council, access.GroupBy);
        Assert.True(access.Disclosure.Perturbed);
        Assert.Contains("la_codes=all", access.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ServiceManager_TeamOfTheirArea_IsKept()
    {
        var access = Apply(ServiceManager, new Scope { TeamIds = { "T1" } }, OrgLevel.Team);

        Assert.Equal(["T1"], access.Scope.TeamIds);
        Assert.Equal(["Assessment"], access.Scope.ServiceAreas);
    }

    public static TheoryData<string, string> WideningAttempts() => new()
    {
        { "director", "la:846" },
        { "director", "team:B1" },
        { "qa_lead", "team:B1" },
        { "analyst", "la:846" },
        { "service_manager", "area:Children in Care" },
        { "service_manager", "team:T2" },
        { "service_manager", "team:B1" },
        { "service_manager", "group:council" },
        { "team_manager", "team:T2" },
        { "team_manager", "team:T99" },
        { "team_manager", "la:846" },
        { "team_manager", "area:Children in Care" },
        { "team_manager", "group:council" },
        { "team_manager", "group:service_area" },
        { "regional_partner", "team:T1" },
        { "regional_partner", "area:Assessment" },
        { "regional_partner", "group:service_area" },
        { "regional_partner", "group:team" },
    };

    [Theory]
    [MemberData(nameof(WideningAttempts))]
    public void Apply_AskingOutsideTheRole_IsDenied(string role, string attempt)
    {
        var caller = role switch
        {
            "director" => Director,
            "qa_lead" => QaLead,
            "analyst" => Analyst,
            "service_manager" => ServiceManager,
            "team_manager" => TeamManager,
            _ => Partner,
        };
        var (scope, groupBy) = ScopeAttempt.Parse(attempt);

        Assert.Throws<AccessDeniedException>(() => Apply(caller, scope, groupBy));
    }

    [Fact]
    public void Apply_UnknownTeam_IsNotFoundForADirector()
    {
        Assert.Throws<NotFoundException>(() => Apply(Director, new Scope { TeamIds = { "T99" } }));
    }

    [Fact]
    public void Apply_UnknownGroupBy_IsABadArgumentNamingTheField()
    {
        var ex = Assert.Throws<BadArgumentException>(() => Apply(Director, groupBy: (OrgLevel)42));

        Assert.StartsWith("group_by:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_OrganisationFilterOutsideTheRole_IsDeniedLikeTheScope()
    {
        var request = new AccessRequest(null, OrgLevel.Unspecified, OrgLevel.Council)
        {
            Grain = PeriodGrain.FinancialYear,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["la_code"] = ["846"] },
        };

        Assert.Throws<AccessDeniedException>(() => AccessPolicy.Apply(Director, request, Team, new ServiceOptions()));
    }

    [Theory]
    [InlineData("auditor_id")]
    [InlineData("team_id")]
    [InlineData("service_area")]
    public void Apply_RegionalPartner_DimensionBelowCouncil_IsDenied(string dimension)
    {
        var request = new AccessRequest(null, OrgLevel.Unspecified, OrgLevel.Council) { Grain = PeriodGrain.FinancialYear, Dimensions = [dimension] };

        Assert.Throws<AccessDeniedException>(() => AccessPolicy.Apply(Partner, request, Team, new ServiceOptions()));
    }

    [Fact]
    public void Apply_RegionalPartner_QuestionWithoutTimeGrain_IsDenied()
    {
        // Risk flags: team-level by nature, for the council's own staff.
        var request = new AccessRequest(null, OrgLevel.Unspecified, OrgLevel.Council);

        Assert.Throws<AccessDeniedException>(() => AccessPolicy.Apply(Partner, request, Team, new ServiceOptions()));
    }

    [Fact]
    public void Apply_Publication_IsCouncilLevelAndPerturbed_WhoeverAsks()
    {
        var publication = Director with { ForPublication = true };

        var access = Apply(publication);

        Assert.Equal(OrgLevel.Council, access.GroupBy);
        Assert.True(access.Disclosure.Perturbed);
        Assert.Throws<AccessDeniedException>(() => Apply(publication, groupBy: OrgLevel.Team));
    }

    [Fact]
    public void Levels_EveryRole_FromCoarsestToFinest()
    {
        Assert.Equal((OrgLevel.Council, OrgLevel.Team), AccessPolicy.Levels(Role.Director));
        Assert.Equal((OrgLevel.Council, OrgLevel.Team), AccessPolicy.Levels(Role.QaLead));
        Assert.Equal((OrgLevel.Council, OrgLevel.Team), AccessPolicy.Levels(Role.Analyst));
        Assert.Equal((OrgLevel.ServiceArea, OrgLevel.Team), AccessPolicy.Levels(Role.ServiceManager));
        Assert.Equal((OrgLevel.Team, OrgLevel.Team), AccessPolicy.Levels(Role.TeamManager));
        Assert.Equal((OrgLevel.Council, OrgLevel.Council), AccessPolicy.Levels(Role.RegionalPartner));
    }

    [Fact]
    public void Levels_UnknownRole_IsDenied() =>
        Assert.Throws<AccessDeniedException>(() => AccessPolicy.Levels((Role)99));

    [Fact]
    public void TeamsVisibleTo_EachRole_ItsOwnTeamsOnly_NoneForAPartner()
    {
        Assert.Null(AccessPolicy.TeamsVisibleTo(Partner));
        Assert.Equal(["938"], AccessPolicy.TeamsVisibleTo(Director)!.LaCodes);
        Assert.Equal(["Assessment"], AccessPolicy.TeamsVisibleTo(ServiceManager)!.ServiceAreas);
        Assert.Equal(["T1"], AccessPolicy.TeamsVisibleTo(TeamManager)!.TeamIds);
    }

    [Fact]
    public void DisclosureFor_CouncilRoles_ExactUnlessTheirRoleOrTheServiceSuppresses()
    {
        var options = new ServiceOptions { SuppressBelowOrAt = 3, SuppressBelowOrAtByRole = { ["analyst"] = 5 } };

        Assert.Equal(3, AccessPolicy.DisclosureFor(Director, options).Threshold);
        Assert.Equal(5, AccessPolicy.DisclosureFor(Analyst, options).Threshold);
        Assert.Equal(0, AccessPolicy.DisclosureFor(Director, new ServiceOptions()).Threshold);
        Assert.False(AccessPolicy.DisclosureFor(Director, options).Perturbed);
        Assert.True(AccessPolicy.DisclosureFor(Partner, options).Perturbed);
    }
}
