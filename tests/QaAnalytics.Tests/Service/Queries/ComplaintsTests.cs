using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetComplaints over the hand-made dataset. The loaded records: R1 and R2, stage 1 complaints to
/// T1 received Fri 16 Sep 2022 (2022/23 Q2), due Mon 3 Oct: R1 answered 3 Oct (on time), R2 on
/// 4 Oct (late); R3, a stage 2 complaint with no team, received 1 Jun 2022 (Q1), unanswered; R4, a
/// compliment to T2, and R5, an MP enquiry about T1, both October 2022 (Q3). R6–R8 are rejected.
/// </summary>
public sealed class ComplaintsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<DecodedTable> Read(ComplaintsRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).GetComplaints(request))).Single();

    [Fact]
    public async Task GetComplaints_CouncilWhole_CountsEveryRecordAndStage()
    {
        var row = (await Read(new ComplaintsRequest { Grain = TimeGrain.All })).Rows.Single();

        Assert.Equal("938", row["la_code"]);
        // Complaints R1, R2 (stage 1) and R3 (stage 2, no team: still the council's).
        Assert.Equal((3L, 2L, 1L, 0L, 0L), (row["complaints"], row["stage_1"], row["stage_2"], row["stage_3"], row["stage_lgsco"]));
        Assert.Equal((1L, 1L), (row["compliments"], row["mp_enquiries"]));
        // Stage 1: 2 responses, 1 on time. Stage 2: no response yet, so no rate (not 0%).
        Assert.Equal((2L, 1L, 0.5), (row["stage_1_responded"], row["stage_1_on_time"], row["stage_1_on_time_rate"]));
        Assert.Equal((0L, 0L, null), (row["stage_2_responded"], row["stage_2_on_time"], row["stage_2_on_time_rate"]));
        Assert.Equal(false, row["suppressed"]);
    }

    [Fact]
    public async Task GetComplaints_TeamByQuarter_LeavesOutRecordsWithNoTeam()
    {
        var table = await Read(new ComplaintsRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter });

        Assert.Equal("complaints", table.Metadata.Table);
        // T1 Q2 (R1, R2), T1 Q3 (R5), T2 Q3 (R4); R3 has no team.
        Assert.Equal([("T1", "2022/23 Q2"), ("T1", "2022/23 Q3"), ("T2", "2022/23 Q3")],
            table.Rows.Select(r => ((string?)r["team_id"], (string?)r["period"])));
        var q2 = table.Rows[0];
        Assert.Equal((2L, 2L, 2L, 1L, 0.5), (q2["complaints"], q2["stage_1"], q2["stage_1_responded"], q2["stage_1_on_time"], q2["stage_1_on_time_rate"]));
        Assert.Equal((0L, 1L), (table.Rows[1]["complaints"], table.Rows[1]["mp_enquiries"]));
        Assert.Equal(1L, table.Rows[2]["compliments"]);
        Assert.Equal(2L, table.Rows.Sum(r => (long)r["complaints"]!));
    }

    [Fact]
    public async Task GetComplaints_CouncilByQuarter_KeepsTheUnattributedComplaint()
    {
        var table = await Read(new ComplaintsRequest { Grain = TimeGrain.FinancialQuarter });

        var q1 = table.Rows.Single(r => (string?)r["period"] == "2022/23 Q1");
        Assert.Equal(("938", 1L, 1L), (q1["la_code"], q1["complaints"], q1["stage_2"]));
        Assert.Null(q1["stage_2_on_time_rate"]);
    }

    [Fact]
    public async Task GetComplaints_ScopeBelowCouncil_LeavesOutRecordsWithNoTeam()
    {
        var council = (await Read(new ComplaintsRequest { Grain = TimeGrain.All, Scope = new Scope { LaCodes = { "938" } } })).Rows.Single();
        Assert.Equal(3L, council["complaints"]);
        var assessment = (await Read(new ComplaintsRequest { Grain = TimeGrain.All, Scope = new Scope { ServiceAreas = { "Assessment" } } })).Rows.Single();
        Assert.Equal(2L, assessment["complaints"]);
    }

    [Fact]
    public async Task GetComplaints_SmallCounts_AreWithheldWithTheirRates()
    {
        var row = (await Read(new ComplaintsRequest { Grain = TimeGrain.All }, suppress: 5)).Rows.Single();

        Assert.Equal(true, row["suppressed"]);
        Assert.Equal((null, null, null, 0L), (row["complaints"], row["stage_1"], row["stage_2"], row["stage_3"]));
        Assert.Equal((null, null), (row["compliments"], row["mp_enquiries"]));
        Assert.Equal((null, null, null), (row["stage_1_responded"], row["stage_1_on_time"], row["stage_1_on_time_rate"]));
    }

    [Fact]
    public async Task GetComplaints_BadArguments_AreInvalidArgumentOrNotFound()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() => Read(new ComplaintsRequest { Period = new PeriodRange { ToMonth = "2031-01" } }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("period.to_month:", bad.Status.Detail, StringComparison.Ordinal);

        var team = await Assert.ThrowsAsync<RpcException>(() => Read(new ComplaintsRequest { Scope = new Scope { TeamIds = { "T99" } } }));
        Assert.Equal(StatusCode.NotFound, team.StatusCode);
    }
}
