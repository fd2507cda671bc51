using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>
/// Two councils (938 and 846) in one snapshot, and complaints with no team: the council comes from
/// the row's la_code (or --la-code); a team-less row without one is rejected, as is an unknown
/// council or one that contradicts the team's.
/// </summary>
public sealed class TeamlessComplaintsFixture : ServiceFixture
{
    public const string Complaints = """
        record_id,record_type,team_id,received_date,stage,responded_date,outcome,theme,la_code
        RB1,complaint,B1,16/09/2022,1,03/10/2022,upheld,Delay,
        RB2,complaint,,16/09/2022,1,,,Delay,846
        RB3,compliment,,20/09/2022,,,,Thanks,846
        RB4,complaint,,16/09/2022,1,,,Delay,
        RB5,complaint,,16/09/2022,1,,,Delay,999
        RB6,complaint,B1,16/09/2022,1,,,Delay,938
        R9,complaint,,01/06/2022,2,,,Communication,938
        """;

    protected override void Write(TestFiles files) => HandMadeDataset.WriteAll(files)
        .Write("teams.csv", HandMadeDataset.Teams + "\n846,B1,Brighton Assessment,Assessment,\n")
        .Write("complaints.csv", Complaints);
}

public sealed class TeamlessComplaintsTests(TeamlessComplaintsFixture fixture) : IClassFixture<TeamlessComplaintsFixture>
{
    [Fact]
    public void Load_TeamlessRows_CouncilFromLaCodeOrRejectedWithReason()
    {
        using var connection = new DuckDBConnection($"Data Source={fixture.DbPath};ACCESS_MODE=READ_ONLY");
        connection.Open();

        var loaded = Query.Rows(connection, "SELECT record_id, la_code FROM fact_complaint ORDER BY record_id");
        Assert.Equal([("R9", "938"), ("RB1", "846"), ("RB2", "846"), ("RB3", "846")], loaded.Select(r => ((string)r[0]!, (string?)r[1])));
        var rejects = Query.Rows(connection, "SELECT line_no, column_name, reason FROM ingest_rejects WHERE file_name = 'complaints.csv' ORDER BY line_no")
            .Select(r => (Convert.ToInt64(r[0]), (string)r[1]!, (string)r[2]!)).ToList();
        Assert.Equal([5L, 6L, 7L], rejects.Select(r => r.Item1));
        Assert.All(rejects, r => Assert.Equal("la_code", r.Item2));
        Assert.Contains("la_code is blank and so is team_id, and the snapshot holds several councils", rejects[0].Item3, StringComparison.Ordinal);
        Assert.Equal("la_code 999 is not a council in teams.csv or an earlier load", rejects[1].Item3);
        Assert.Equal("la_code 938 is not the council of team B1 (846)", rejects[2].Item3);
    }

    [Fact]
    public async Task GetComplaints_DirectorOfTheCouncil_CountsItsComplaintsWithNoTeam()
    {
        var client = fixture.ClientWithToken(TestTokens.For("director", TwoCouncilFixture.OtherCouncil), suppressBelowOrAt: 0);

        var row = (await ArrowClient.ReadAsync(client.GetComplaints(new ComplaintsRequest { Grain = TimeGrain.All }))).Single().Rows.Single();

        Assert.Equal("846", row["la_code"]);
        // RB1 (team B1) and RB2 (no team, la_code 846); RB3 is a compliment with no team.
        Assert.Equal((2L, 1L), (row["complaints"], row["compliments"]));
    }

    [Fact]
    public async Task Load_NoLaCodeColumnWithLaCodeOption_TeamlessRowsTakeThatCouncil()
    {
        using var files = new TestFiles();
        HandMadeDataset.WriteAll(files).Write("teams.csv", HandMadeDataset.Teams + "\n846,B1,Brighton Assessment,Assessment,\n");
        // teams.csv has its own la_code column; --la-code fills the complaints' missing one.
        var report = await new Loader(Pseudonymiser.Demo(), new FixedTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero)))
            .LoadAsync(new LoadRequest(files.DbPath, files.Input, LaCode: "938"));

        Assert.False(report.Failed, report.Error);
        Assert.Equal("938", files.Scalar<string>("SELECT la_code FROM fact_complaint WHERE record_id = 'R3'"));
    }
}
