using QaAnalytics.Contracts.V1;
using QaAnalytics.Service;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>
/// Disclosure by audience: on the default settings the council's own roles see every count of
/// their scope exactly; a regional partner (outside the council) gets perturbed counts, never
/// withheld ones; a council may set suppression per role.
/// </summary>
public sealed class SuppressionByRoleTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>
{
    [Theory]
    [InlineData("director")]
    [InlineData("qa_lead")]
    [InlineData("service_manager")]
    [InlineData("team_manager")]
    [InlineData("analyst")]
    public async Task SmallCounts_CouncilRoles_AreExactByDefault(string role)
    {
        var client = fixture.ClientWithToken(AccessControlTests.Token(role), suppressBelowOrAt: 0);
        var request = new GradeDistributionRequest { Grain = TimeGrain.All, Scope = new Scope { LaCodes = { TwoCouncilFixture.OwnCouncil } } };
        if (role is "team_manager") request.Scope = null;

        var table = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();

        // Council 938 (or team T1) has fewer than 6 audits of each grade: small counts throughout, all shown as counted.
        var row = table.Rows.First(r => (string?)r["la_code"] == TwoCouncilFixture.OwnCouncil);
        Assert.False((bool)row["suppressed"]!);
        Assert.Equal((long)row["audits"]!, new[] { "outstanding", "good", "requires_improvement", "inadequate" }.Sum(g => (long)row["effective_" + g]!));
        Assert.DoesNotContain(table.Metadata.Notes, n => n.Contains("withheld", StringComparison.Ordinal) || n.Contains("perturbed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SmallCounts_RegionalPartner_ArePerturbedNotWithheld()
    {
        var client = fixture.ClientWithToken(AccessControlTests.Token("regional_partner"), suppressBelowOrAt: 0);
        var request = new GradeDistributionRequest { Grain = TimeGrain.FinancialYear };

        var table = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();

        Assert.All(table.Rows, r => Assert.False((bool)r["suppressed"]!));
        Assert.All(table.Rows, r => Assert.NotNull(r["effective_good"]));
        Assert.Contains(table.Metadata.Notes, n => n.StartsWith("Counts are perturbed by the cell key method", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SmallCounts_RoleConfiguredToSuppress_AreWithheldForThatRoleOnly()
    {
        // The README's setting, as configuration: QaAnalytics:SuppressBelowOrAtByRole:analyst = 5.
        using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath);
            web.UseSetting("QaAnalytics:SuppressBelowOrAtByRole:analyst", "5");
            foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
        });
        var request = new GradeDistributionRequest { Grain = TimeGrain.All };
        async Task<bool> Suppressed(string role)
        {
            var headers = new global::Grpc.Core.Metadata { { "Authorization", "Bearer " + AccessControlTests.Token(role) } };
            using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
            var table = (await ArrowClient.ReadAsync(new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel).GetGradeDistribution(request, headers))).Single();
            return (bool)table.Rows.Single()["suppressed"]!;
        }

        Assert.True(await Suppressed("analyst"));
        Assert.False(await Suppressed("director"));
    }

    [Theory]
    [InlineData("analyst", 5)]
    [InlineData("director", 0)]
    [InlineData("regional_partner", -1)]
    public void DisclosureFor_PerRoleSetting_AppliesToThatRoleOnly(string role, int expected)
    {
        var options = new ServiceOptions { SuppressBelowOrAtByRole = { ["analyst"] = 5 } };
        Assert.True(Roles.TryParse(role, out var parsed));
        var disclosure = AccessPolicy.DisclosureFor(new Caller("u", parsed, "938", null, null), options);

        Assert.Equal(expected < 0 ? "cell_key" : expected == 0 ? "exact" : $"suppress<={expected}", disclosure.Describe());
    }

    [Fact]
    public void DisclosureFor_ForPublication_IsTheCellKeyMethodWhoeverAsks()
    {
        var director = new Caller("u", Role.Director, "938", null, null) { ForPublication = true };

        Assert.Equal("cell_key", AccessPolicy.DisclosureFor(director, new ServiceOptions { SuppressBelowOrAt = 5 }).Describe());
        Assert.Equal(Audience.Outside, director.Audience);
        Assert.Equal((OrgLevel.Council, OrgLevel.Council), AccessPolicy.Levels(director));
    }
}
