using System.Text;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Ingest.Loading;

public sealed class LoaderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private readonly SteppingTime _time = new(Now);

    private Loader NewLoader() => new(Pseudonymiser.Demo(), _time);

    private Task<LoadReport> Load(bool force = false) =>
        NewLoader().LoadAsync(new LoadRequest(_files.DbPath, _files.Input, Force: force));

    [Fact]
    public async Task Load_HandMadeDataset_EveryRowIsAcceptedOrRejected()
    {
        HandMadeDataset.WriteAll(_files);
        var report = await Load();

        Assert.False(report.Failed);
        var byFile = report.Files.ToDictionary(f => f.FileName);
        Assert.Equal((4L, 2L, 2L), (byFile["teams.csv"].RowsRead, byFile["teams.csv"].RowsAccepted, byFile["teams.csv"].RowsRejected));
        Assert.Equal((9L, 5L, 4L), (byFile["audits.csv"].RowsRead, byFile["audits.csv"].RowsAccepted, byFile["audits.csv"].RowsRejected));
        Assert.Equal((4L, 3L, 1L), (byFile["audit_requests.csv"].RowsRead, byFile["audit_requests.csv"].RowsAccepted, byFile["audit_requests.csv"].RowsRejected));
        Assert.Equal((8L, 4L, 4L), (byFile["kpis.csv"].RowsRead, byFile["kpis.csv"].RowsAccepted, byFile["kpis.csv"].RowsRejected));
        Assert.Equal((8L, 5L, 3L), (byFile["complaints.csv"].RowsRead, byFile["complaints.csv"].RowsAccepted, byFile["complaints.csv"].RowsRejected));

        // The identity holds in the database too: read = accepted + rejected, and rejected = distinct reject lines.
        var identity = _files.Rows("""
            SELECT r.file_name, r.rows_read, r.rows_accepted, r.rows_rejected,
                   (SELECT count(DISTINCT line_no) FROM ingest_rejects j WHERE j.run_id = r.run_id AND j.file_name = r.file_name)
            FROM ingest_runs r
            """);
        Assert.Equal(5, identity.Count);
        Assert.All(identity, row =>
        {
            Assert.Equal(Convert.ToInt64(row[1]), Convert.ToInt64(row[2]) + Convert.ToInt64(row[3]));
            Assert.Equal(Convert.ToInt64(row[3]), Convert.ToInt64(row[4]));
        });
        Assert.Equal(5L, _files.Scalar<long>("SELECT count(*) FROM fact_audit"));
        Assert.Equal(2L, _files.Scalar<long>("SELECT count(*) FROM dim_team"));
    }

    [Fact]
    public async Task Load_BadRows_RejectsSayWhatToFixOnTheRightLine()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();

        var rejects = _files.Rows("SELECT file_name, line_no, column_name, value, reason FROM ingest_rejects ORDER BY file_name, line_no, column_name")
            .Select(r => (File: (string)r[0]!, Line: Convert.ToInt64(r[1]), Column: (string?)r[2], Value: (string?)r[3], Reason: (string)r[4]!))
            .ToList();

        Assert.Contains(rejects, r => r is { File: "teams.csv", Line: 4, Column: "team_id" } && r.Reason.Contains("already appears on line 3"));
        Assert.Contains(rejects, r => r is { File: "teams.csv", Line: 5, Column: "team_id" } && r.Reason.Contains("blank"));
        // Line 6 of audits.csv has three problems, each reported.
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 6, Column: "team_id", Value: "T9" } && r.Reason.Contains("not in teams.csv"));
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 6, Column: "audit_date", Value: "12/25/2022" } && r.Reason.Contains("US month/day order"));
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 6, Column: "overall_grade", Value: "Satisfactory" } && r.Reason.Contains("not a grade"));
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 7, Column: "audit_id" } && r.Reason.Contains("already appears on line 2"));
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 8, Column: "child_id", Value: null });
        Assert.Contains(rejects, r => r is { File: "audits.csv", Line: 9, Column: "moderation_date" } && r.Reason.Contains("before audit_date"));
        Assert.Contains(rejects, r => r is { File: "audit_requests.csv", Line: 5, Column: "returned_date" } && r.Reason.Contains("before sent_date"));
        Assert.Contains(rejects, r => r is { File: "kpis.csv", Line: 5, Column: "value" } && r.Reason.Contains("cannot exceed 100"));
        Assert.Contains(rejects, r => r is { File: "kpis.csv", Line: 6, Column: "period", Value: "2022-13" });
        Assert.Contains(rejects, r => r is { File: "kpis.csv", Line: 7, Column: "numerator" } && r.Reason.Contains("larger than denominator"));
        Assert.Contains(rejects, r => r is { File: "kpis.csv", Line: 8, Column: "kpi_code", Value: "NOT_A_KPI" } && r.Reason.Contains("kpi_definitions.csv"));
        Assert.Contains(rejects, r => r is { File: "complaints.csv", Line: 7, Column: "stage" } && r.Reason.Contains("only complaints have a stage"));
        Assert.Contains(rejects, r => r is { File: "complaints.csv", Line: 8, Column: "stage" } && r.Reason.Contains("needs its stage"));
        Assert.Contains(rejects, r => r is { File: "complaints.csv", Line: 9, Column: "responded_date" });
        // A child id never lands in the rejects, even when the row is rejected.
        Assert.DoesNotContain(rejects, r => r.Value is not null && r.Value.StartsWith("CHILD-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Load_Audits_EffectiveGradeIsModeratedWhereThereIsOne()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();

        var audits = _files.Rows("SELECT audit_id, overall_grade, moderated_grade, effective_grade, effective_score, grade_change, is_good_or_better, visiting_grade, child_voice_evident, audit_type FROM fact_audit ORDER BY audit_id")
            .ToDictionary(r => (string)r[0]!);
        // A2: RI moderated down to Inadequate: effective 4 (score 1), change -1.
        Assert.Equal(new object?[] { "A2", 3, 4, 4, 1, -1, false, 3, false, "case" }, audits["A2"]);
        // A3: Outstanding (code 1) moderated to Good: effective 2 (score 3), change -1.
        Assert.Equal(new object?[] { "A3", 1, 2, 2, 3, -1, true, null, null, "collaborative" }, audits["A3"]);
        // A4: moderated, agreed.
        Assert.Equal(0, audits["A4"][5]);
        // A1: not moderated, no change recorded.
        Assert.Equal(new object?[] { "A1", 2, null, 2, 3, null, true, 2, true, "case" }, audits["A1"]);
        Assert.Equal("re-audit", audits["A9"][9]);

        // Grade mix for 2021/22 Q4 (January-March 2022): A1 Good, A2 Inadequate, A3 Good, A9 Inadequate.
        var q4 = _files.Rows("SELECT audits, good, inadequate, share_good_or_better, moderated, downgraded, upgraded FROM v_grade_mix_by_quarter WHERE financial_quarter_label = '2021/22 Q4' AND service_area IS NOT NULL ORDER BY service_area");
        Assert.Equal(4L, q4.Sum(r => Convert.ToInt64(r[0])));
        Assert.Equal(2L, q4.Sum(r => Convert.ToInt64(r[1])));
        Assert.Equal(2L, q4.Sum(r => Convert.ToInt64(r[2])));
        var mix = _files.Rows("SELECT count(*) FILTER (WHERE is_good_or_better) / count(*) FROM v_audit WHERE financial_quarter_label = '2021/22 Q4'");
        Assert.Equal(0.5, Convert.ToDouble(mix[0][0]), 10);
        Assert.Equal(2L, _files.Scalar<long>("SELECT count(*) FROM fact_audit WHERE grade_change < 0"));
    }

    [Fact]
    public async Task Load_ChildIds_ArePseudonymisedWithHmacAndNeverStored()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();

        var key = Pseudonymiser.Demo();
        var keys = _files.Rows("SELECT audit_id, child_key FROM fact_audit").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(key.Pseudonymise("CHILD-0001"), keys["A1"]);
        Assert.Equal(keys["A1"], keys["A9"]); // same child, same pseudonym
        Assert.Equal(key.Pseudonymise("CHILD-0002"), keys["A2"]);

        Assert.Equal("demo", _files.Scalar<string>("SELECT pseudonym_key FROM snapshot_info"));
        var snapshot = new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName;
        var bytes = await File.ReadAllBytesAsync(snapshot);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("CHILD-000"u8));
    }

    [Fact]
    public async Task Load_RequestsKpisComplaints_FiguresMatchHandWorkedValues()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();

        // Requests: Q1 returned by due, Q2 returned late, Q3 not returned; Q4 rejected.
        var returns = _files.Rows("SELECT CAST(sum(sent) AS BIGINT), CAST(sum(returned) AS BIGINT), CAST(sum(returned_by_due) AS BIGINT), sum(returned) / sum(sent) FROM v_audit_returns_by_quarter")[0];
        Assert.Equal(new object?[] { 3L, 2L, 1L }, returns[..3]);
        Assert.Equal(2.0 / 3.0, Convert.ToDouble(returns[3]), 10);

        // KPIs: T1 visits 8/10 and 9/12; the quarter rate is 17/22 from summed counts, not the mean of rates.
        Assert.Equal(80.0, _files.Scalar<double>("SELECT value FROM fact_kpi WHERE team_id = 'T1' AND period = DATE '2022-01-01' AND kpi_code = 'VISITS_IN_TIMESCALE'"), 10);
        var quarter = _files.Rows("SELECT CAST(numerator AS BIGINT), CAST(denominator AS BIGINT), rate FROM v_kpi_rate_by_quarter WHERE team_id = 'T1' AND kpi_code = 'VISITS_IN_TIMESCALE' AND financial_quarter_label = '2021/22 Q4'")[0];
        Assert.Equal((17m, 22m), (Convert.ToDecimal(quarter[0]), Convert.ToDecimal(quarter[1])));
        Assert.Equal(100.0 * 17 / 22, Convert.ToDouble(quarter[2]), 10);
        Assert.Equal(17.5, _files.Scalar<double>("SELECT value FROM fact_kpi WHERE kpi_code = 'CASELOAD'"), 10);
        Assert.True(_files.Scalar<bool>("SELECT value IS NULL AND denominator = 0 FROM fact_kpi WHERE kpi_code = 'PLANS_REVIEWED_ON_TIME'"));

        // Complaints received Friday 16 Sep 2022: Monday 19 Sep was the State Funeral bank holiday, so
        // working day 1 is Tue 20 Sep and day 10 is Mon 3 Oct. R1 answered 3 Oct (on time, 10 days), R2 on 4 Oct (late, 11).
        var complaints = _files.Rows("SELECT record_id, due_date, working_days_taken, responded_on_time FROM fact_complaint WHERE stage IS NOT NULL ORDER BY record_id")
            .ToDictionary(r => (string)r[0]!);
        Assert.Equal(new object?[] { "R1", new DateOnly(2022, 10, 3), 10L, true }, complaints["R1"].Select(Normalise).ToArray());
        Assert.Equal(new object?[] { "R2", new DateOnly(2022, 10, 3), 11L, false }, complaints["R2"].Select(Normalise).ToArray());
        // R3: stage 2 received Wed 1 Jun 2022; 2 and 3 June were bank holidays; day 25 is Fri 8 Jul 2022. Unanswered.
        Assert.Equal(new object?[] { "R3", new DateOnly(2022, 7, 8), null, null }, complaints["R3"].Select(Normalise).ToArray());
        var timeliness = _files.Rows("SELECT complaints, responded, responded_on_time, share_on_time FROM v_complaints_timeliness_by_quarter WHERE stage = '1' AND financial_quarter_label = '2022/23 Q2'")[0];
        Assert.Equal(new object?[] { 2L, 2L, 1L, 0.5 }, timeliness.Select(Normalise).ToArray());
        Assert.Equal(1L, _files.Scalar<long>("SELECT count(*) FROM fact_complaint WHERE record_type = 'mp_enquiry'"));
    }

    [Fact]
    public async Task Load_SameFilesTwice_PublishesNothingAndForceReplacesWithoutDoubling()
    {
        HandMadeDataset.WriteAll(_files);
        var first = await Load();
        var before = Counts();
        var published = new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName;

        var again = await Load();
        Assert.All(again.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
        Assert.True(again.NothingChanged);
        Assert.Equal(published, new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName);
        Assert.Equal(published, again.SnapshotPath);
        Assert.Equal(first.RunId, _files.Scalar<string>("SELECT snapshot_id FROM snapshot_info"));
        Assert.Equal(before, Counts());

        var forced = await Load(force: true);
        Assert.False(forced.NothingChanged);
        Assert.All(forced.Files, f => Assert.Equal(f.RowsAccepted, f.RowsReplaced));
        Assert.Equal(before, Counts());
        Assert.Equal(2L, _files.Scalar<long>("SELECT count(DISTINCT run_id) FROM ingest_runs"));
    }

    [Fact]
    public async Task Load_ChangedRow_ReplacesByKey()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();
        _files.Write("audits.csv", HandMadeDataset.Audits.Replace("A4,CHILD-0004,T2,W2,M2,thematic,2022-04-05,RI,RI", "A4,CHILD-0004,T2,W2,M2,thematic,2022-04-05,RI,Good"));
        var report = await Load();

        var audits = report.Files.Single(f => f.FileName == "audits.csv");
        Assert.Equal((0L, 5L), (audits.RowsNew, audits.RowsReplaced));
        Assert.Equal(2, _files.Scalar<int>("SELECT effective_grade FROM fact_audit WHERE audit_id = 'A4'"));
        Assert.Equal(5L, _files.Scalar<long>("SELECT count(*) FROM fact_audit"));
    }

    [Fact]
    public async Task Load_OriginalFileAfterAChangedOne_IsLoadedAgainNotSkipped()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();
        var changed = HandMadeDataset.Audits.Replace("A4,CHILD-0004,T2,W2,M2,thematic,2022-04-05,RI,RI", "A4,CHILD-0004,T2,W2,M2,thematic,2022-04-05,RI,Good");
        _files.Write("audits.csv", changed);
        await Load();
        _files.Write("audits.csv", HandMadeDataset.Audits);
        var report = await Load();

        Assert.Equal(FileStatus.Loaded, report.Files.Single(f => f.FileName == "audits.csv").Status);
        Assert.Equal(3, _files.Scalar<int>("SELECT effective_grade FROM fact_audit WHERE audit_id = 'A4'"));
    }

    [Fact]
    public async Task Load_MissingRequiredColumn_FailsAndLeavesPublishedDataIntact()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();
        var before = Counts();

        _files.Write("teams.csv", HandMadeDataset.Teams + "\n938,T3,New team,MASH,");
        _files.Write("audits.csv", "audit_id,child_id,team_id,worker_id,auditor_id,audit_type,audit_date\nA10,CHILD-0010,T1,W1,M1,case,2022-05-01\n");
        var report = await Load();

        Assert.True(report.Failed);
        Assert.Contains("overall_grade", report.Error);
        Assert.Equal(before, Counts());
        Assert.Equal(0L, _files.Scalar<long>("SELECT count(*) FROM dim_team WHERE team_id = 'T3'"));
        var statuses = _files.Rows("SELECT file_name, status FROM ingest_runs WHERE run_id = (SELECT max(run_id) FROM ingest_runs)")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(FileStatus.Failed, statuses["audits.csv"]);
        Assert.Equal(FileStatus.NotLoaded, statuses["teams.csv"]);
    }

    [Fact]
    public async Task Load_WhileAReaderHoldsTheSnapshot_ReaderKeepsAConsistentOldSnapshot()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();
        using var reader = _files.OpenReader();
        var before = Query.Scalar<long>(reader, "SELECT count(*) FROM fact_kpi");

        _files.Write("kpis.csv", HandMadeDataset.Kpis + "\nT2,2022-02,VISITS_IN_TIMESCALE,5,6,");
        await Load();

        // The open reader still sees the snapshot it opened, in full.
        Assert.Equal(before, Query.Scalar<long>(reader, "SELECT count(*) FROM fact_kpi"));
        Assert.Equal(5L, Query.Scalar<long>(reader, "SELECT count(*) FROM fact_audit"));
        // A reader that opens the path now gets the new snapshot.
        var published = new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName;
        using var fresh = new DuckDB.NET.Data.DuckDBConnection($"Data Source={published};ACCESS_MODE=READ_ONLY");
        fresh.Open();
        Assert.Equal(before + 1, Query.Scalar<long>(fresh, "SELECT count(*) FROM fact_kpi"));
    }

    [Fact]
    public async Task Load_Windows1252AndBom_AreDecoded()
    {
        var cp1252 = CodePages();
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area\n938,T1,Children’s Café Team,Children in Care\n", cp1252);
        _files.Write("kpis.csv", "\uFEFFTeam_ID , PERIOD,Kpi Code,numerator,denominator\nT1,2022-01,VISITS_IN_TIMESCALE,1,2\n");
        var report = await Load();

        Assert.Equal("windows-1252", report.Files.Single(f => f.FileName == "teams.csv").Encoding);
        Assert.Null(report.Files.Single(f => f.FileName == "kpis.csv").Message);
        Assert.Equal("Children’s Café Team", _files.Scalar<string>("SELECT team_name FROM dim_team"));
        Assert.Equal(50.0, _files.Scalar<double>("SELECT value FROM fact_kpi"), 10);
    }

    [Fact]
    public async Task Load_ColumnsOutsideTheContract_AreNamedInTheReport()
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area,manager,Parent Team ID\n938,T1,One,MASH,Ann,\n");
        var report = await Load();

        Assert.Equal("column(s) not in the data contract, ignored: manager", report.Files.Single().Message);
    }

    [Fact]
    public async Task Load_SsdDepartmentExtract_MapsOntoTeamsWithLaCodeFromCommandLine()
    {
        _files.Write("ssd_department.csv", "dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\nD1,Front Door,,MASH\nD2,Assessment 1,D1,Assessment\n");
        var report = await NewLoader().LoadAsync(new LoadRequest(_files.DbPath, _files.Input, LaCode: "938"));

        Assert.False(report.Failed);
        var teams = _files.Rows("SELECT team_id, la_code, team_name, service_area, parent_team_id FROM dim_team ORDER BY team_id");
        Assert.Equal(new object?[] { "D2", "938", "Assessment 1", "Assessment", "D1" }, teams[1]);
    }

    /// <summary>D2I's SSD extract for some systems (Mosaic, for one) leaves dept_team_parent_name NULL.</summary>
    [Fact]
    public async Task Load_SsdDepartmentWithoutParentNames_ServiceAreaFromParentRowElseUnassigned()
    {
        _files.Write("ssd_department.csv", "dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\nD1,Children's Social Care,,\nD2,Assessment 1,D1,\nD3,Front Door,D1,\n");
        var report = await NewLoader().LoadAsync(new LoadRequest(_files.DbPath, _files.Input, LaCode: "938"));

        Assert.False(report.Failed, report.Error);
        var file = report.Files.Single();
        Assert.Equal((3L, 3L, 0L), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal("2 team(s) with no service area took their parent team's name; 1 team(s) with no service area and no parent team loaded under the service area 'Unassigned'", file.Message);
        var teams = _files.Rows("SELECT team_id, service_area FROM dim_team ORDER BY team_id").Select(r => ((string)r[0]!, (string)r[1]!));
        Assert.Equal([("D1", "Unassigned"), ("D2", "Children's Social Care"), ("D3", "Children's Social Care")], teams);
    }

    [Fact]
    public async Task Load_TeamsCsvBlankServiceAreaNoParent_StillRejected()
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area,parent_team_id\n938,T1,One,,\n938,T2,Two,,T1\n938,T3,Three,,T9\n");
        var report = await Load();

        // T2 takes T1's name; T1 and T3 (parent unknown) have none, and teams.csv has no 'Unassigned'.
        Assert.Equal((3L, 1L, 2L), (report.Files.Single().RowsRead, report.Files.Single().RowsAccepted, report.Files.Single().RowsRejected));
        Assert.Equal("One", _files.Scalar<string>("SELECT service_area FROM dim_team WHERE team_id = 'T2'"));
    }

    [Fact]
    public async Task Load_SsdDepartmentWithoutLaCode_FailsWithAMessageSayingWhatToPass()
    {
        _files.Write("ssd_department.csv", "dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\nD1,Front Door,,MASH\n");
        var report = await Load();

        Assert.True(report.Failed);
        Assert.Contains("--la-code", report.Error);
    }

    [Fact]
    public async Task Load_RowsTheCsvReaderCannotSplit_AreRejectedAndLaterLinesStayRight()
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area\n938,T1,One,MASH\n938,T2,Two,MASH,extra\n938,T3\n938,T4,Four,MASH\n938,T4,Dup,MASH\n");
        var report = await Load();

        var teams = report.Files.Single();
        // Lines 2 (T1) and 5 (T4) load; 3 and 4 cannot be split; 6 repeats T4.
        Assert.Equal((5L, 2L, 3L), (teams.RowsRead, teams.RowsAccepted, teams.RowsRejected));
        var rejects = _files.Rows("SELECT line_no, reason FROM ingest_rejects ORDER BY line_no");
        Assert.Equal(3L, Convert.ToInt64(rejects[0][0]));
        Assert.Contains("more fields than the header", (string)rejects[0][1]!);
        Assert.Equal(4L, Convert.ToInt64(rejects[1][0]));
        Assert.Contains("fewer fields", (string)rejects[1][1]!);
        Assert.Equal(6L, Convert.ToInt64(rejects[2][0]));
        Assert.Contains("already appears on line 5", (string)rejects[2][1]!);
    }

    [Fact]
    public async Task Load_BlankLinesQuotedLineBreaksAndAnUnclosedQuote_RejectOnThePhysicalLines()
    {
        // Line 3 is blank; the T4 record spans lines 5-6; line 8 opens a quote it never closes.
        File.WriteAllText(Path.Combine(_files.Input, "teams.csv"),
            "la_code,team_id,team_name,service_area\n938,T1,One,MASH\n\n938,T1,Dup,MASH\n938,T4,\"Multi\nline\",MASH\n938,T4,Again,MASH\n938,T3,\"Unclosed,MASH\n");
        var report = await Load();

        Assert.Equal((5L, 2L, 3L), (report.Files.Single().RowsRead, report.Files.Single().RowsAccepted, report.Files.Single().RowsRejected));
        var rejects = _files.Rows("SELECT line_no, reason FROM ingest_rejects ORDER BY line_no");
        Assert.Equal([4L, 7L, 8L], rejects.Select(r => Convert.ToInt64(r[0])));
        Assert.Contains("already appears on line 2", (string)rejects[0][1]!);
        Assert.Contains("already appears on line 5", (string)rejects[1][1]!);
        Assert.Contains("double quote is not closed", (string)rejects[2][1]!);
        Assert.Equal("Multi\nline", _files.Scalar<string>("SELECT team_name FROM dim_team WHERE team_id = 'T4'"));
    }

    [Fact]
    public async Task Load_LargeFile_LineNumbersFollowTheFileAcrossParallelReads()
    {
        // 300,000 rows: DuckDB reads this in parallel row groups, so line numbers must not depend on scheduling.
        var text = new System.Text.StringBuilder("la_code,team_id,team_name,service_area\n");
        for (var i = 2; i <= 300_001; i++)
        {
            text.Append("938,").Append(i switch { 150_000 => "", 250_001 => "T7", _ => "T" + i }).Append(",Team,MASH\n");
        }
        _files.Write("teams.csv", text.ToString());
        var report = await Load();

        Assert.Equal((300_000L, 2L), (report.Files.Single().RowsRead, report.Files.Single().RowsRejected));
        var rejects = _files.Rows("SELECT line_no, reason FROM ingest_rejects ORDER BY line_no");
        Assert.Equal(150_000L, Convert.ToInt64(rejects[0][0]));
        Assert.Equal(250_001L, Convert.ToInt64(rejects[1][0]));
        Assert.Contains("already appears on line 7", (string)rejects[1][1]!);
    }

    [Fact]
    public async Task Load_Xlsx_LoadsLikeTheCsv()
    {
        _files.Write("teams.csv", HandMadeDataset.Teams);
        MiniExcelLibs.MiniExcel.SaveAs(Path.Combine(_files.Input, "kpis.xlsx"), new[]
        {
            new Dictionary<string, object?> { ["team_id"] = "T1", ["period"] = "2022-01", ["kpi_code"] = "VISITS_IN_TIMESCALE", ["numerator"] = 8, ["denominator"] = 10, ["value"] = null },
            new Dictionary<string, object?> { ["team_id"] = "T1", ["period"] = "2022-01", ["kpi_code"] = "CASELOAD", ["numerator"] = null, ["denominator"] = null, ["value"] = 17.5 },
            new Dictionary<string, object?> { ["team_id"] = "T1", ["period"] = "2022-13", ["kpi_code"] = "CASELOAD", ["numerator"] = null, ["denominator"] = null, ["value"] = 1 },
        });
        MiniExcelLibs.MiniExcel.SaveAs(Path.Combine(_files.Input, "audit_requests.xlsx"), new[]
        {
            new Dictionary<string, object?> { ["request_id"] = "Q1", ["team_id"] = "T1", ["manager_id"] = "M1", ["sent_date"] = new DateTime(2022, 1, 4), ["returned_date"] = new DateTime(2022, 1, 10) },
        });
        var report = await Load();

        var kpis = report.Files.Single(f => f.FileName == "kpis.xlsx");
        Assert.Equal(("xlsx", 3L, 2L, 1L), (kpis.Encoding, kpis.RowsRead, kpis.RowsAccepted, kpis.RowsRejected));
        Assert.Equal(4L, _files.Scalar<long>("SELECT line_no FROM ingest_rejects WHERE file_name = 'kpis.xlsx'"));
        Assert.Equal(new DateOnly(2022, 1, 10), Normalise(_files.Scalar<object>("SELECT returned_date FROM fact_audit_request")));
    }

    [Fact]
    public async Task Load_KpiDefinitions_ExtendTheCatalogue()
    {
        _files.Write("teams.csv", HandMadeDataset.Teams);
        _files.Write("kpi_definitions.csv", "kpi_code,kpi_name,unit,polarity,theme,target\nPATHWAY_PLANS,Pathway plans in date,rate,higher_is_better,Plan,90\nBAD,Bad,ratio,up,Nope,x\n");
        _files.Write("kpis.csv", "team_id,period,kpi_code,numerator,denominator\nT1,2022-01,PATHWAY_PLANS,9,10\n");
        var report = await Load();

        Assert.Equal(1L, report.Files.Single(f => f.FileName == "kpi_definitions.csv").RowsRejected);
        Assert.Equal("kpi_definitions.csv", _files.Scalar<string>("SELECT source FROM dim_kpi WHERE kpi_code = 'PATHWAY_PLANS'"));
        Assert.Equal(90.0, _files.Scalar<double>("SELECT value FROM fact_kpi WHERE kpi_code = 'PATHWAY_PLANS'"), 10);
        // The bad definition is one rejected row with four reasons: unit, polarity, theme and target.
        Assert.Equal(4L, _files.Scalar<long>("SELECT count(*) FROM ingest_rejects WHERE file_name = 'kpi_definitions.csv'"));
    }

    [Fact]
    public async Task Load_AuditsWithoutKey_IsRefusedBeforeAnythingIsWritten()
    {
        HandMadeDataset.WriteAll(_files);
        var loader = new Loader(null, _time);

        var ex = await Assert.ThrowsAsync<PseudonymKeyException>(() => loader.LoadAsync(new LoadRequest(_files.DbPath, _files.Input)));
        Assert.Contains(Pseudonymiser.KeyVariable, ex.Message);
        Assert.False(File.Exists(_files.DbPath));
    }

    [Fact]
    public async Task Load_EmptyAndHeaderOnlyFiles_AreHandled()
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area\n");
        var headerOnly = await Load();
        Assert.Equal((0L, FileStatus.Loaded), (headerOnly.Files.Single().RowsRead, headerOnly.Files.Single().Status));

        _files.Write("teams.csv", "");
        var empty = await Load();
        Assert.True(empty.Failed);
        Assert.Contains("empty", empty.Error);
    }

    [Fact]
    public async Task Load_LinkToAMissingSnapshot_IsRefusedRatherThanStartingAfresh()
    {
        HandMadeDataset.WriteAll(_files);
        await Load();
        foreach (var snapshot in Directory.EnumerateFiles(_files.DbPath + ".snapshots")) File.Delete(snapshot);

        var ex = await Assert.ThrowsAsync<SnapshotException>(() => Load(force: true));
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void WriterLock_SecondLoad_IsRefusedAtOnce()
    {
        var store = new SnapshotStore(_files.DbPath);
        using var first = store.AcquireWriterLock();
        Assert.Throws<LoadLockedException>(() => store.AcquireWriterLock());
    }

    private (long, long, long, long, long) Counts() => (
        _files.Scalar<long>("SELECT count(*) FROM dim_team"),
        _files.Scalar<long>("SELECT count(*) FROM fact_audit"),
        _files.Scalar<long>("SELECT count(*) FROM fact_audit_request"),
        _files.Scalar<long>("SELECT count(*) FROM fact_kpi"),
        _files.Scalar<long>("SELECT count(*) FROM fact_complaint"));

    private static object? Normalise(object? value) => value switch
    {
        DateTime d => DateOnly.FromDateTime(d),
        int i => (long)i,
        decimal m => (long)m,
        _ => value,
    };

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
