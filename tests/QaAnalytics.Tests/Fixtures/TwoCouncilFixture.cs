
namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// The hand-made dataset (council 938: T1 Assessment, T2 Children in Care) plus a second council,
/// 846, with one team B1 (Assessment, the same service-area name as T1) and seven audits, a KPI
/// month, an audit request and a complaint: enough for a call to show whether another council's
/// or team's figures leak.
/// </summary>
public sealed class TwoCouncilFixture : ServiceFixture
{
    public const string OwnCouncil = "938";
    public const string OtherCouncil = "846";
    public const string OtherTeam = "B1";

    protected override void Write(TestFiles files) => HandMadeDataset.WriteAll(files)
        .Write("teams.csv", HandMadeDataset.Teams + "\n846,B1,Brighton Assessment,Assessment,\n")
        .Write("audits.csv", HandMadeDataset.Audits + "\n" + string.Join("\n", Enumerable.Range(1, 7).Select(i =>
            $"B{i},CHILD-B00{i},B1,W9,M9,case,2022-01-1{i},{(i % 2 == 0 ? "Good" : "Requires improvement")},,,Good,Y")) + "\n")
        .Write("audit_requests.csv", HandMadeDataset.AuditRequests + "\nQB1,B1,M9,2022-01-04,2022-01-31,2022-01-10,B1\n")
        .Write("kpis.csv", HandMadeDataset.Kpis + "\nB1,2022-01,VISITS_IN_TIMESCALE,5,10,\n")
        .Write("complaints.csv", HandMadeDataset.Complaints + "\nRB1,complaint,B1,16/09/2022,1,03/10/2022,upheld,Delay\n");
}
