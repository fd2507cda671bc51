using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>Suppression chosen by role: on a service configured with suppression off, directors and managers see every count, analysts and regional partners never see small ones.</summary>
public sealed class SuppressionByRoleTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>
{
    [Theory]
    [InlineData("director", false)]
    [InlineData("qa_lead", false)]
    [InlineData("service_manager", false)]
    [InlineData("team_manager", false)]
    [InlineData("analyst", true)]
    [InlineData("regional_partner", true)]
    public async Task SmallCounts_AreWithheldByRole_WhateverTheServiceIsConfiguredWith(string role, bool withheld)
    {
        var client = fixture.ClientWithToken(AccessControlTests.Token(role), suppressBelowOrAt: 0);
        var request = new GradeDistributionRequest { Grain = TimeGrain.All, Scope = new Scope { LaCodes = { TwoCouncilFixture.OwnCouncil } } };
        if (role is "team_manager") request.Scope = null;

        var table = (await ArrowClient.ReadAsync(client.GetGradeDistribution(request))).Single();

        // Council 938 (or team T1) has fewer than 6 audits of each grade: small counts throughout.
        var row = table.Rows.First(r => (string?)r["la_code"] == TwoCouncilFixture.OwnCouncil);
        Assert.Equal(withheld, (bool)row["suppressed"]!);
        Assert.Equal(withheld, row["effective_good"] is null);
        Assert.Equal(withheld, table.Metadata.Notes.Any(n => n.StartsWith("Counts from 1 to 5 are withheld", StringComparison.Ordinal)));
    }
}
