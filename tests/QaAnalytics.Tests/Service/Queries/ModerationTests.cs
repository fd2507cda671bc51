using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetModeration over the hand-made dataset. The loaded audits: A1 (T1, auditor M1, Jan 2022, not
/// moderated), A2 (T1, M1, Jan 2022, RI moderated to Inadequate: downgrade), A3 (T2, M2, Feb 2022,
/// Outstanding moderated to Good: downgrade), A4 (T2, M2, Apr 2022, RI moderated RI: agreed),
/// A9 (T1, M1, Mar 2022, not moderated).
/// </summary>
public sealed class ModerationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<DecodedTable> Read(ModerationRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).GetModeration(request))).Single();

    [Fact]
    public async Task GetModeration_TeamByQuarter_MatchesHandWorkedCounts()
    {
        var table = await Read(new ModerationRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter });

        Assert.Equal("moderation", table.Metadata.Table);
        Assert.Equal(3, table.Rows.Count);
        // T1 2021/22 Q4: A1, A2, A9; only A2 moderated, and downgraded.
        var t1 = table.Rows.Single(r => (string?)r["team_id"] == "T1");
        Assert.Equal((3L, 1L, 0L, 0L, 1L), (t1["audits"], t1["moderated"], t1["agreed"], t1["upgrades"], t1["downgrades"]));
        Assert.Equal(1.0 / 3.0, (double)t1["moderated_share"]!, 12);
        Assert.Equal(0.0, t1["agreement_rate"]);
        Assert.Equal(false, t1["suppressed"]);
        // T2 2022/23 Q1: A4 moderated and agreed: agreement 1/1.
        var t2q1 = table.Rows.Single(r => (string?)r["team_id"] == "T2" && (string?)r["period"] == "2022/23 Q1");
        Assert.Equal((1L, 1L, 1L, 0L), (t2q1["audits"], t2q1["moderated"], t2q1["agreed"], t2q1["downgrades"]));
        Assert.Equal((1.0, 1.0), (t2q1["moderated_share"], t2q1["agreement_rate"]));
    }

    [Fact]
    public async Task GetModeration_CouncilWhole_SharesComeFromUnroundedCounts()
    {
        var row = (await Read(new ModerationRequest { Grain = TimeGrain.All })).Rows.Single();

        // 5 audits, 3 moderated (A2, A3, A4): share 3/5; agreed 1 of 3 (A4), downgrades 2 (A2, A3).
        Assert.Equal(("938", "all"), (row["la_code"], row["period"]));
        Assert.Equal((5L, 3L, 1L, 0L, 2L), (row["audits"], row["moderated"], row["agreed"], row["upgrades"], row["downgrades"]));
        Assert.Equal(0.6, (double)row["moderated_share"]!, 12);
        Assert.Equal(1.0 / 3.0, (double)row["agreement_rate"]!, 12);
    }

    [Fact]
    public async Task GetModeration_ByAuditor_SplitsEachManagersAudits()
    {
        var table = await Read(new ModerationRequest { Grain = TimeGrain.All, ByAuditor = true });

        // M1: A1, A2, A9; A2 moderated, downgraded. M2: A3 (downgraded), A4 (agreed), both moderated.
        Assert.Equal(["M1", "M2"], table.Rows.Select(r => r["auditor_id"]));
        var m1 = table.Rows[0];
        Assert.Equal((3L, 1L, 0L, 1L), (m1["audits"], m1["moderated"], m1["agreed"], m1["downgrades"]));
        var m2 = table.Rows[1];
        Assert.Equal((2L, 2L, 1L, 1L), (m2["audits"], m2["moderated"], m2["agreed"], m2["downgrades"]));
        Assert.Equal((1.0, 0.5), (m2["moderated_share"], m2["agreement_rate"]));
    }

    [Fact]
    public async Task GetModeration_AuditTypeFilter_CountsOnlyThoseTypes()
    {
        var row = (await Read(new ModerationRequest { Grain = TimeGrain.All, AuditTypes = { "Case" } })).Rows.Single();

        // case audits: A1, A2 (A9 is a re-audit, A3 collaborative, A4 thematic).
        Assert.Equal((2L, 1L, 1L), (row["audits"], row["moderated"], row["downgrades"]));
    }

    [Fact]
    public async Task GetModeration_SmallCounts_AreWithheldWithTheirRates()
    {
        var table = await Read(new ModerationRequest { Grain = TimeGrain.All, ByAuditor = true }, suppress: 5);

        Assert.Contains(table.Metadata.Notes, n => n.Contains("withheld", StringComparison.Ordinal));
        // M1: 3 audits (small) → every non-zero count and every rate withheld; upgrades 0 and agreed 0 stay.
        var m1 = table.Rows[0];
        Assert.Equal(true, m1["suppressed"]);
        Assert.Equal((null, null, 0L, 0L, null), (m1["audits"], m1["moderated"], m1["agreed"], m1["upgrades"], m1["downgrades"]));
        Assert.Null(m1["moderated_share"]);
        Assert.Null(m1["agreement_rate"]);
    }

    [Fact]
    public async Task GetModeration_BadArguments_AreInvalidArgumentOrNotFound()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() => Read(new ModerationRequest { AuditTypes = { "peer" } }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("audit_types:", bad.Status.Detail, StringComparison.Ordinal);

        var grain = await Assert.ThrowsAsync<RpcException>(() => Read(new ModerationRequest { Grain = (TimeGrain)42 }));
        Assert.Equal(StatusCode.InvalidArgument, grain.StatusCode);
        Assert.StartsWith("grain:", grain.Status.Detail, StringComparison.Ordinal);

        var team = await Assert.ThrowsAsync<RpcException>(() => Read(new ModerationRequest { Scope = new Scope { TeamIds = { "T99" } } }));
        Assert.Equal(StatusCode.NotFound, team.StatusCode);
    }
}
