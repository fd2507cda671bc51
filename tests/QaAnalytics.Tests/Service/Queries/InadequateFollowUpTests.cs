using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetInadequateFollowUp over the hand-made dataset with re-audits (see
/// HandMadeDataset.AuditsWithReAudits). Inadequate audits that are not re-audits: A2 (T1,
/// 15 Jan 2022, moderated down to Inadequate), A11 (T2, 10 Feb 2022), A13 (T2, 15 Mar 2022,
/// moderated down). A9 is Inadequate but is itself a re-audit, so it is left out.
/// A2 → A10 on 26 Feb, 42 days later (within 6 weeks), effective Good; A11 → A12 on 1 Apr, 50 days
/// later (not within); A13 never re-audited.
/// </summary>
public sealed class InadequateFollowUpTests(ReAuditFixture fixture) : IClassFixture<ReAuditFixture>
{
    private async Task<DecodedTable> Read(InadequateFollowUpRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).GetInadequateFollowUp(request))).Single();

    [Fact]
    public async Task GetInadequateFollowUp_TeamByQuarter_MatchesHandWorkedCounts()
    {
        var table = await Read(new InadequateFollowUpRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter });

        Assert.Equal("inadequate_follow_up", table.Metadata.Table);
        Assert.Equal(["T1", "T2"], table.Rows.Select(r => r["team_id"]));
        Assert.All(table.Rows, r => Assert.Equal("2021/22 Q4", r["period"]));
        // T1: A2 only; its re-audit on day 42 is within 6 weeks and graded Good after moderation.
        var t1 = table.Rows[0];
        Assert.Equal((1L, 1L, 0L, 0L), (t1["inadequate_audits"], t1["reaudited_within_6_weeks"], t1["reaudited_later"], t1["not_reaudited"]));
        Assert.Equal(1.0, t1["reaudited_within_6_weeks_share"]);
        Assert.Equal((0L, 1L, 0L, 0L), (t1["reaudit_outstanding"], t1["reaudit_good"], t1["reaudit_requires_improvement"], t1["reaudit_inadequate"]));
        // T2: A11 re-audited after 50 days, A13 not re-audited; nothing within 6 weeks.
        var t2 = table.Rows[1];
        Assert.Equal((2L, 0L, 1L, 1L), (t2["inadequate_audits"], t2["reaudited_within_6_weeks"], t2["reaudited_later"], t2["not_reaudited"]));
        Assert.Equal(0.0, t2["reaudited_within_6_weeks_share"]);
        Assert.Equal(0L, t2["reaudit_good"]);
        Assert.Equal(false, t2["suppressed"]);
    }

    [Fact]
    public async Task GetInadequateFollowUp_Council_ShareFromUnroundedCounts()
    {
        var row = (await Read(new InadequateFollowUpRequest { Grain = TimeGrain.All })).Rows.Single();

        Assert.Equal((3L, 1L, 1L, 1L), (row["inadequate_audits"], row["reaudited_within_6_weeks"], row["reaudited_later"], row["not_reaudited"]));
        Assert.Equal(1.0 / 3.0, (double)row["reaudited_within_6_weeks_share"]!, 12);
    }

    [Fact]
    public async Task GetInadequateFollowUp_ReauditOutsideThePeriod_StillCounts()
    {
        // February only: A11. Its re-audit A12 (April) lies outside the range but is still found.
        var row = (await Read(new InadequateFollowUpRequest { Grain = TimeGrain.Month, Period = new PeriodRange { FromMonth = "2022-02", ToMonth = "2022-02" } })).Rows.Single();

        Assert.Equal(("2022-02", 1L, 1L), (row["period"], row["inadequate_audits"], row["reaudited_later"]));
    }

    [Fact]
    public async Task GetInadequateFollowUp_SmallCounts_AreWithheldWithTheirShare()
    {
        var row = (await Read(new InadequateFollowUpRequest { Grain = TimeGrain.All }, suppress: 5)).Rows.Single();

        Assert.Equal(true, row["suppressed"]);
        Assert.Equal((null, null, null, null), (row["inadequate_audits"], row["reaudited_within_6_weeks"], row["reaudited_later"], row["not_reaudited"]));
        Assert.Null(row["reaudited_within_6_weeks_share"]);
        Assert.Null(row["reaudit_good"]);
        Assert.Equal(0L, row["reaudit_inadequate"]);
    }

    [Fact]
    public async Task GetInadequateFollowUp_BadArguments_AreInvalidArgumentOrNotFound()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() => Read(new InadequateFollowUpRequest { Period = new PeriodRange { FromMonth = "2022-04", ToMonth = "2022-01" } }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("period:", bad.Status.Detail, StringComparison.Ordinal);

        var team = await Assert.ThrowsAsync<RpcException>(() => Read(new InadequateFollowUpRequest { Scope = new Scope { TeamIds = { "T99" } } }));
        Assert.Equal(StatusCode.NotFound, team.StatusCode);
    }
}
