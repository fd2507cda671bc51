using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// GetAuditCompliance over the hand-made dataset. The loaded requests, all sent 4 January 2022 and
/// due 31 January: Q1 (T1) returned 10 January, by the due date; Q2 (T1) returned 7 February, late;
/// Q3 (T2) not returned. Q4 is rejected (returned before it was sent).
/// </summary>
public sealed class AuditComplianceTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<DecodedTable> Read(AuditComplianceRequest request, int suppress = 0) =>
        (await ArrowClient.ReadAsync(fixture.Client(suppress).GetAuditCompliance(request))).Single();

    [Fact]
    public async Task GetAuditCompliance_TeamByMonth_MatchesHandWorkedCounts()
    {
        var table = await Read(new AuditComplianceRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month });

        Assert.Equal("audit_compliance", table.Metadata.Table);
        Assert.Equal(["T1", "T2"], table.Rows.Select(r => r["team_id"]));
        Assert.All(table.Rows, r => Assert.Equal("2022-01", r["period"]));
        // T1: 2 sent, 2 returned (Q1, Q2), both with a due date, 1 by it (Q1).
        var t1 = table.Rows[0];
        Assert.Equal((2L, 2L, 2L, 1L), (t1["sent"], t1["returned"], t1["with_due_date"], t1["returned_by_due"]));
        Assert.Equal((1.0, 0.5), (t1["return_rate"], t1["on_time_return_rate"]));
        // T2: Q3 sent, not returned.
        var t2 = table.Rows[1];
        Assert.Equal((1L, 0L, 1L, 0L), (t2["sent"], t2["returned"], t2["with_due_date"], t2["returned_by_due"]));
        Assert.Equal((0.0, 0.0), (t2["return_rate"], t2["on_time_return_rate"]));
        Assert.Equal(false, t2["suppressed"]);
    }

    [Fact]
    public async Task GetAuditCompliance_Council_RatesFromUnroundedCounts()
    {
        var row = (await Read(new AuditComplianceRequest { Grain = TimeGrain.FinancialYear })).Rows.Single();

        // 2021/22: 3 sent, 2 returned, 3 with a due date, 1 returned by it.
        Assert.Equal(("938", "2021/22"), (row["la_code"], row["period"]));
        Assert.Equal((3L, 2L, 3L, 1L), (row["sent"], row["returned"], row["with_due_date"], row["returned_by_due"]));
        Assert.Equal(2.0 / 3.0, (double)row["return_rate"]!, 12);
        Assert.Equal(1.0 / 3.0, (double)row["on_time_return_rate"]!, 12);
    }

    [Fact]
    public async Task GetAuditCompliance_PeriodIsTheMonthSent()
    {
        // Q2 was returned in February but sent in January: February has nothing sent.
        var february = await Read(new AuditComplianceRequest { Period = new PeriodRange { FromMonth = "2022-02", ToMonth = "2022-02" } });
        Assert.Empty(february.Rows);
        var january = await Read(new AuditComplianceRequest { Period = new PeriodRange { FromMonth = "2022-01", ToMonth = "2022-01" }, Scope = new Scope { ServiceAreas = { "Assessment" } } });
        Assert.Equal(2L, january.Rows.Single()["sent"]);
    }

    [Fact]
    public async Task GetAuditCompliance_SmallCounts_AreWithheldWithTheirRates()
    {
        var row = (await Read(new AuditComplianceRequest { Grain = TimeGrain.All }, suppress: 5)).Rows.Single();

        Assert.Equal(true, row["suppressed"]);
        Assert.Equal((null, null, null, null), (row["sent"], row["returned"], row["with_due_date"], row["returned_by_due"]));
        Assert.Null(row["return_rate"]);
        Assert.Null(row["on_time_return_rate"]);
    }

    [Fact]
    public async Task GetAuditCompliance_BadArguments_AreInvalidArgumentOrNotFound()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() => Read(new AuditComplianceRequest { Period = new PeriodRange { FromMonth = "Jan 2022" } }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("period.from_month:", bad.Status.Detail, StringComparison.Ordinal);

        var level = await Assert.ThrowsAsync<RpcException>(() => Read(new AuditComplianceRequest { GroupBy = (OrgLevel)9 }));
        Assert.Equal(StatusCode.InvalidArgument, level.StatusCode);
        Assert.StartsWith("group_by:", level.Status.Detail, StringComparison.Ordinal);

        var team = await Assert.ThrowsAsync<RpcException>(() => Read(new AuditComplianceRequest { Scope = new Scope { TeamIds = { "T99" } } }));
        Assert.Equal(StatusCode.NotFound, team.StatusCode);
    }
}
