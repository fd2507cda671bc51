using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>
/// GetRiskFlags for every role over bearer JWTs, on the scored sample (the two-council snapshot of
/// <see cref="AccessControlTests"/> has no flags): each role gets flags, and exactly those of its scope.
/// </summary>
[Collection(RiskCollection.Name)]
public sealed class RiskFlagsAccessTests(RiskDataFixture data)
{
    [Fact]
    public async Task GetRiskFlags_EveryRole_AnswersFlagsOfExactlyTheRoleScope()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", data.DbPath);
            foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
        });
        var team = data.Rows[0];
        var council = data.Rows.Where(r => r.LaCode == team.LaCode).ToList();
        string[] Teams(IEnumerable<TeamQuarter> rows) => [.. rows.Select(r => r.TeamId).Distinct().Order(StringComparer.Ordinal)];

        foreach (var role in new[] { "director", "qa_lead", "analyst" })
        {
            var rows = await Flags(factory, TestTokens.For(role, team.LaCode, subject: role + "-1"));
            Assert.Equal([team.LaCode], AccessControlTests.Seen(rows, "la_code"));
            Assert.Equal(Teams(council), AccessControlTests.Seen(rows, "team_id"));
        }

        var area = await Flags(factory, TestTokens.For("service_manager", team.LaCode, serviceArea: team.ServiceArea, subject: "sm-1"));
        Assert.Equal([team.ServiceArea], AccessControlTests.Seen(area, "service_area"));
        Assert.Equal(Teams(council.Where(r => r.ServiceArea == team.ServiceArea)), AccessControlTests.Seen(area, "team_id"));

        var own = await Flags(factory, TestTokens.For("team_manager", team.LaCode, teamId: team.TeamId, subject: "tm-1"));
        Assert.Equal([team.TeamId], AccessControlTests.Seen(own, "team_id"));
        Assert.Equal(data.Rows.Count(r => r.TeamId == team.TeamId), own.Count);

        var partner = await Assert.ThrowsAsync<RpcException>(() => Flags(factory, TestTokens.For("regional_partner", subject: "rp-1")));
        Assert.Equal(StatusCode.PermissionDenied, partner.StatusCode);
    }

    private static async Task<List<Dictionary<string, object?>>> Flags(WebApplicationFactory<Program> factory, string token)
    {
        var headers = new Metadata { { "Authorization", "Bearer " + token } };
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var rows = (await ArrowClient.ReadAsync(new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel).GetRiskFlags(new RiskFlagsRequest(), headers))).Single().Rows;
        Assert.NotEmpty(rows);
        return rows;
    }
}
