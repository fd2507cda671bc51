using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;
using static QaAnalytics.Tests.Fixtures.TwoCouncilFixture;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>
/// Every RPC × every role over bearer JWTs against two councils: what each role gets, and every
/// way of asking for more (scope, filters, grouping, dimensions) refused with PermissionDenied.
/// </summary>
public sealed class AccessControlTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>
{
    public static readonly string[] Rpcs =
    [
        "GetCatalogue", "GetGradeDistribution", "GetTriangulation", "GetModeration", "GetAuditCompliance",
        "GetInadequateFollowUp", "GetComplaints", "GetKpiTrend", "Query", "GetRiskFlags",
    ];

    public static readonly string[] RoleNames = ["director", "qa_lead", "service_manager", "team_manager", "analyst", "regional_partner"];

    /// <summary>Every RPC but GetRiskFlags (this snapshot is not scored: see <see cref="RiskFlagsAccessTests"/>) × every role.</summary>
    public static TheoryData<string, string> RpcByRole()
    {
        var data = new TheoryData<string, string>();
        foreach (var rpc in Rpcs.Where(r => r != "GetRiskFlags"))
        {
            foreach (var role in RoleNames) data.Add(rpc, role);
        }
        return data;
    }

    /// <summary>Each role's token: council 938 (service area Assessment, team T1) where the role has one; a regional partner of another council.</summary>
    internal static string Token(string role) => role switch
    {
        "service_manager" => TestTokens.For(role, OwnCouncil, serviceArea: "Assessment", subject: "sm-1"),
        "team_manager" => TestTokens.For(role, OwnCouncil, teamId: "T1", subject: "tm-1"),
        "regional_partner" => TestTokens.For(role, "999", subject: "rp-1"),
        _ => TestTokens.For(role, OwnCouncil, subject: role + "-1"),
    };

    /// <summary>
    /// An RPC with its default request (whole financial years: what every role, a regional partner
    /// included, may ask for), or the request <paramref name="scope"/> and <paramref name="groupBy"/> set.
    /// </summary>
    internal static Task<List<DecodedTable>> Call(Contracts.V1.QaAnalytics.QaAnalyticsClient client, string rpc, Scope? scope = null, OrgLevel groupBy = OrgLevel.Unspecified) => rpc switch
    {
        "GetCatalogue" => ArrowClient.ReadAsync(client.GetCatalogue(new CatalogueRequest())),
        "GetGradeDistribution" => ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetTriangulation" => ArrowClient.ReadAsync(client.GetTriangulation(new TriangulationRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetModeration" => ArrowClient.ReadAsync(client.GetModeration(new ModerationRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetAuditCompliance" => ArrowClient.ReadAsync(client.GetAuditCompliance(new AuditComplianceRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetInadequateFollowUp" => ArrowClient.ReadAsync(client.GetInadequateFollowUp(new InadequateFollowUpRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetComplaints" => ArrowClient.ReadAsync(client.GetComplaints(new ComplaintsRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetKpiTrend" => ArrowClient.ReadAsync(client.GetKpiTrend(new KpiTrendRequest { Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "Query" => ArrowClient.ReadAsync(client.Query(new QueryRequest { Measures = { "audits" }, Scope = scope, GroupBy = groupBy, Grain = TimeGrain.FinancialYear })),
        "GetRiskFlags" => ArrowClient.ReadAsync(client.GetRiskFlags(new RiskFlagsRequest { Scope = scope })),
        _ => throw new ArgumentOutOfRangeException(nameof(rpc)),
    };

    [Theory]
    [MemberData(nameof(RpcByRole))]
    public async Task EveryRpc_EveryRole_AnswersRowsOfExactlyTheRoleScope(string rpc, string role)
    {
        var tables = await Call(fixture.ClientWithToken(Token(role)), rpc);

        var rows = rpc == "GetCatalogue" ? tables.Single(t => t.Metadata.Table == "teams").Rows : tables[0].Rows;
        if (role == "regional_partner" && rpc == "GetCatalogue")
        {
            // A regional partner sees no team-level rows: no teams, but the rest of the catalogue.
            Assert.Empty(rows);
            Assert.Contains(tables, t => t.Metadata.Table != "teams" && t.Rows.Count > 0);
            return;
        }
        // Not vacuous: rows came back, and the councils, areas and teams in them are exactly the role's.
        Assert.NotEmpty(rows);
        switch (role)
        {
            case "director" or "qa_lead" or "analyst":
                Assert.Equal([OwnCouncil], Seen(rows, "la_code"));
                break;
            case "service_manager":
                Assert.Equal([OwnCouncil], Seen(rows, "la_code"));
                Assert.Equal(["Assessment"], Seen(rows, "service_area"));
                if (rows[0].ContainsKey("team_id")) Assert.Equal(["T1"], Seen(rows, "team_id"));
                break;
            case "team_manager":
                Assert.Equal([OwnCouncil], Seen(rows, "la_code"));
                Assert.Equal(["T1"], Seen(rows, "team_id"));
                break;
            case "regional_partner":
                // Every council, at council level (council 846 has no Inadequate audit to follow up).
                string[] councils = rpc == "GetInadequateFollowUp" ? [OwnCouncil] : [OtherCouncil, OwnCouncil];
                Assert.Equal(councils, Seen(rows, "la_code"));
                Assert.All(rows, r => Assert.False(r.ContainsKey("team_id") || r.ContainsKey("service_area") || r.ContainsKey("auditor_id")));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(role));
        }
    }

    /// <summary>The distinct non-null values of a column, in order (empty when no row has the column).</summary>
    internal static string[] Seen(IEnumerable<IReadOnlyDictionary<string, object?>> rows, string column) =>
        [.. rows.Where(r => r.ContainsKey(column)).Select(r => r[column]).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("GetGradeDistribution")]
    [InlineData("GetAuditCompliance")]
    [InlineData("GetComplaints")]
    [InlineData("GetKpiTrend")]
    [InlineData("Query")]
    public async Task RegionalPartner_SeesEveryCouncil_AtCouncilLevel(string rpc)
    {
        var rows = (await Call(fixture.ClientWithToken(Token("regional_partner")), rpc))[0].Rows;

        // (Complaints with no team in the hand-made data have no council either: a row of their own.)
        Assert.Equal([OtherCouncil, OwnCouncil], rows.Select(r => (string?)r["la_code"]).OfType<string>().Distinct().Order());
    }

    [Fact]
    public async Task Director_DoesNotSeeAnotherCouncil_EvenAfterARegionalPartnerAskedTheSame()
    {
        // The result cache is shared: the same request from a wider caller must not be served to a narrower one.
        await Call(fixture.ClientWithToken(Token("regional_partner")), "GetGradeDistribution");

        var rows = (await Call(fixture.ClientWithToken(Token("director")), "GetGradeDistribution"))[0].Rows;

        Assert.Equal([OwnCouncil], rows.Select(r => (string)r["la_code"]!).Distinct());
    }

    [Fact]
    public async Task TeamManager_DefaultGrouping_IsTheirTeam()
    {
        var rows = (await Call(fixture.ClientWithToken(Token("team_manager")), "GetGradeDistribution"))[0].Rows;

        var row = Assert.Single(rows);
        Assert.Equal("T1", row["team_id"]);
    }

    [Fact]
    public async Task ServiceManager_TeamsOfTheirArea_AreAllowed()
    {
        var rows = (await Call(fixture.ClientWithToken(Token("service_manager")), "GetGradeDistribution", new Scope { TeamIds = { "T1" } }, OrgLevel.Team))[0].Rows;

        Assert.Equal(["T1"], rows.Select(r => r["team_id"]));
    }

    public static TheoryData<string, string, string> WideningAttempts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var rpc in Rpcs.Where(r => r != "GetCatalogue"))
        {
            data.Add(rpc, "team_manager", "team:T2");
            data.Add(rpc, "team_manager", "team:B1");
            data.Add(rpc, "team_manager", "team:T99");
            data.Add(rpc, "team_manager", "la:846");
            data.Add(rpc, "team_manager", "area:Children in Care");
            data.Add(rpc, "service_manager", "area:Children in Care");
            data.Add(rpc, "service_manager", "team:T2");
            data.Add(rpc, "service_manager", "team:B1");
            data.Add(rpc, "director", "la:846");
            data.Add(rpc, "director", "team:B1");
            data.Add(rpc, "qa_lead", "team:B1");
            data.Add(rpc, "analyst", "la:846");
            data.Add(rpc, "regional_partner", "team:T1");
            data.Add(rpc, "regional_partner", "area:Assessment");
            if (rpc == "GetRiskFlags") continue;
            data.Add(rpc, "team_manager", "group:council");
            data.Add(rpc, "team_manager", "group:service_area");
            data.Add(rpc, "service_manager", "group:council");
            data.Add(rpc, "regional_partner", "group:team");
            data.Add(rpc, "regional_partner", "group:service_area");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WideningAttempts))]
    public async Task AskingOutsideTheRole_ThroughScopeOrGrouping_IsPermissionDenied(string rpc, string role, string attempt)
    {
        var (scope, groupBy) = ScopeAttempt.Parse(attempt);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Call(fixture.ClientWithToken(Token(role)), rpc, scope, groupBy));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    public static TheoryData<string, string> QueryWideningAttempts() => new()
    {
        { "team_manager", "filter:team_id=T2" },
        { "team_manager", "filter:team_id=B1" },
        { "team_manager", "filter:la_code=846" },
        { "team_manager", "filter:service_area=Children in Care" },
        { "service_manager", "filter:service_area=Children in Care" },
        { "service_manager", "filter:team_id=T2" },
        { "director", "filter:la_code=846" },
        { "director", "filter:team_id=B1" },
        { "analyst", "filter:team_id=B1" },
        { "regional_partner", "filter:team_id=T1" },
        { "regional_partner", "filter:service_area=Assessment" },
        { "regional_partner", "dimension:auditor_id" },
        { "regional_partner", "filter:auditor_id=M1" },
        { "regional_partner", "dimension:team_id" },
    };

    [Theory]
    [MemberData(nameof(QueryWideningAttempts))]
    public async Task Query_FiltersOrDimensionsOutsideTheRole_ArePermissionDenied(string role, string attempt)
    {
        var request = new QueryRequest { Measures = { "audits" }, Grain = TimeGrain.All };
        var (kind, rest) = (attempt[..attempt.IndexOf(':')], attempt[(attempt.IndexOf(':') + 1)..]);
        if (kind == "dimension")
        {
            request.Dimensions.Add(rest);
        }
        else
        {
            request.Filters.Add(new Filter { Dimension = rest[..rest.IndexOf('=')], Values = { rest[(rest.IndexOf('=') + 1)..] } });
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.ClientWithToken(Token(role)).Query(request)));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task RegionalPartner_ModerationByAuditor_IsPermissionDenied()
    {
        var request = new ModerationRequest { ByAuditor = true, Grain = TimeGrain.All };

        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.ClientWithToken(Token("regional_partner")).GetModeration(request)));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task RegionalPartner_TriangulationByDefault_IsAtCouncilLevel()
    {
        var rows = (await Call(fixture.ClientWithToken(Token("regional_partner")), "GetTriangulation"))[0].Rows;

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.False(r.ContainsKey("team_id")));
    }

    [Fact]
    public async Task Director_UnknownTeamOfNoCouncil_IsNotFound_ButATeamManagerIsDeniedFirst()
    {
        var scope = new Scope { TeamIds = { "T99" } };

        var director = await Assert.ThrowsAsync<RpcException>(() => Call(fixture.ClientWithToken(Token("director")), "GetGradeDistribution", scope));
        var manager = await Assert.ThrowsAsync<RpcException>(() => Call(fixture.ClientWithToken(Token("team_manager")), "GetGradeDistribution", scope));

        Assert.Equal(StatusCode.NotFound, director.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, manager.StatusCode);
    }

    [Fact]
    public async Task OwnScopeAskedExplicitly_IsAnswered()
    {
        var rows = (await Call(fixture.ClientWithToken(Token("director")), "GetGradeDistribution", new Scope { LaCodes = { OwnCouncil } }))[0].Rows;

        Assert.Equal([OwnCouncil], rows.Select(r => r["la_code"]).Distinct());
    }
}
