namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// A small dataset whose expected figures are worked out by hand in <see cref="Ingest.Loading.LoaderTests"/>.
/// Line numbers count the header as line 1.
/// </summary>
internal static class HandMadeDataset
{
    public const string Teams = """
        la_code,team_id,team_name,service_area,parent_team_id
        938,T1,Assessment East,Assessment,
        938,T2,Children in Care North,Children in Care,
        938,T2,Duplicate,Children in Care,
        938,,No id,MASH,
        """;

    public const string Audits = """
        audit_id,child_id,team_id,worker_id,auditor_id,audit_type,audit_date,overall_grade,moderated_grade,moderation_date,visiting_grade,child_voice_evident
        A1,CHILD-0001,T1,W1,M1,case,2022-01-10,Good,,,Good,Y
        A2,CHILD-0002,T1,W1,M1,Case,15/01/2022,requires improvement,Inadequate,20/01/2022,3,N
        A3,CHILD-0003,T2,W2,M2,collaborative,2022-02-01,1,Good,2022-02-03,,
        A4,CHILD-0004,T2,W2,M2,thematic,2022-04-05,RI,RI,2022-04-06,,
        A5,CHILD-0005,T9,W2,M2,case,12/25/2022,Satisfactory,,,,
        A1,CHILD-0006,T1,W1,M1,case,2022-03-01,Good,,,,
        A7,,T1,W1,M1,case,2022-03-01,Good,,,,
        A8,CHILD-0008,T1,W1,M1,re-audit,2022-03-01,Good,,2022-02-01,,
        A9,CHILD-0001,T1,W1,M1,Re-Audit,31/03/2022,Inadequate,,,Inadequate,Y
        """;

    public const string AuditRequests = """
        request_id,team_id,manager_id,sent_date,due_date,returned_date,audit_id
        Q1,T1,M1,2022-01-04,2022-01-31,2022-01-10,A1
        Q2,T1,M1,2022-01-04,2022-01-31,2022-02-07,
        Q3,T2,M2,2022-01-04,2022-01-31,,
        Q4,T2,M2,2022-01-04,,2022-01-02,
        """;

    public const string Kpis = """
        team_id,period,kpi_code,numerator,denominator,value
        T1,2022-01,VISITS_IN_TIMESCALE,8,10,
        T1,2022-02,VISITS_IN_TIMESCALE,9,12,
        T1,2022-01,CASELOAD,,,17.5
        T1,2022-01,AGENCY_RATE,,,120
        T2,2022-13,VISITS_IN_TIMESCALE,1,2,
        T2,2022-01,VISITS_IN_TIMESCALE,12,10,
        T2,2022-01,NOT_A_KPI,1,2,
        T2,2022-01,PLANS_REVIEWED_ON_TIME,0,0,
        """;

    public const string Complaints = """
        record_id,record_type,team_id,received_date,stage,responded_date,outcome,theme
        R1,complaint,T1,16/09/2022,1,03/10/2022,upheld,Delay
        R2,complaint,T1,16/09/2022,1,04/10/2022,not upheld,Delay
        R3,complaint,,01/06/2022,2,,,Communication
        R4,compliment,T2,01/10/2022,,,,
        R5,mp_enquiry,T1,03/10/2022,,,,
        R6,compliment,T1,01/10/2022,1,,,
        R7,complaint,T1,20/09/2022,,,,
        R8,complaint,T1,20/09/2022,1,19/09/2022,,
        """;

    /// <summary>
    /// <see cref="Audits"/> with a reaudit_of column and four more audits, for the Inadequate
    /// follow-up figures only (loaded on its own, so every figure worked out from the files above
    /// stays as it is): A10 re-audits A2 exactly 42 days later (RI moderated to Good); A11 is
    /// Inadequate, re-audited by A12 50 days later; A13 is moderated down to Inadequate and not
    /// re-audited.
    /// </summary>
    public static string AuditsWithReAudits =>
        string.Join('\n', Audits.Split('\n').Select((line, i) => line.TrimEnd('\r') + (i == 0 ? ",reaudit_of" : ","))) + "\n" + """
        A10,CHILD-0002,T1,W1,M1,re-audit,2022-02-26,Requires improvement,Good,2022-03-01,,,A2
        A11,CHILD-0011,T2,W2,M2,case,2022-02-10,Inadequate,,,,,
        A12,CHILD-0011,T2,W2,M2,re-audit,2022-04-01,Good,,,,,A11
        A13,CHILD-0013,T2,W2,M2,case,2022-03-15,Good,Inadequate,2022-03-20,,,
        """;

    public static TestFiles WriteAll(TestFiles files) => files
        .Write("teams.csv", Teams)
        .Write("audits.csv", Audits)
        .Write("audit_requests.csv", AuditRequests)
        .Write("kpis.csv", Kpis)
        .Write("complaints.csv", Complaints);
}
