using DuckDB.NET.Data;
using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Calendar;
using QaAnalytics.Models.Kpis;

namespace QaAnalytics.Tests.Notebooks;

/// <summary>
/// A small published QA database for the notebooks to run against: three teams, three financial
/// quarters (2021/22 Q4 to 2022/23 Q2), and rows in every fact table so that every notebook cell
/// has something to show. Built once per test class in a temporary folder, closed before any
/// notebook opens it read-only, and deleted afterwards.
/// </summary>
public sealed class NotebookDatabaseFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "qa-notebooks-" + Guid.NewGuid().ToString("N"));

    /// <summary>The repository root (the folder holding <c>QaAnalytics.sln</c>).</summary>
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Path of the database the notebooks are given through <c>QA_DB</c>.</summary>
    public string DatabasePath => Path.Combine(_folder, "qa.duckdb");

    /// <summary>How long <see cref="BuildDatabaseAsync"/> took, for the test log.</summary>
    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await BuildDatabaseAsync(DatabasePath);
        BuildTime = watch.Elapsed;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A notebook that failed half-way may still hold the file; the temp folder is harmless.
        }
        return Task.CompletedTask;
    }

    /// <summary>Walks up from the test binaries to the folder that holds <c>QaAnalytics.sln</c>.</summary>
    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QaAnalytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No QaAnalytics.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Creates the database the notebooks read. Until the loader lands this writes the schema from
    /// <c>src/QaAnalytics.Ingest/Sql/schema.sql</c> and a handful of hand-made rows; swap the body for
    /// a run of the real loader over sample extracts when it exists.
    /// </summary>
    private async Task BuildDatabaseAsync(string path)
    {
        var schema = await File.ReadAllTextAsync(Path.Combine(RepoRoot, "src", "QaAnalytics.Ingest", "Sql", "schema.sql"));
        await using var connection = new DuckDBConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = schema;
            await command.ExecuteNonQueryAsync();
        }

        SampleData.AppendDimensions(connection);
        SampleData.AppendFacts(connection);
        SampleData.AppendIngestLog(connection);
    }

    /// <summary>The hand-made rows. Derived columns are computed with the Models types, as the loader does.</summary>
    private static class SampleData
    {
        private const string RunId = "20221003T090000-01";
        private static readonly DateTime LoadedAt = new(2022, 10, 3, 9, 0, 0);

        public static void AppendDimensions(DuckDBConnection connection)
        {
            using (var snapshot = connection.CreateAppender("snapshot_info"))
            {
                snapshot.CreateRow().AppendValue(RunId).AppendValue(1).AppendValue(LoadedAt).EndRow();
            }

            using (var dates = connection.CreateAppender("dim_date"))
            {
                foreach (var d in CalendarDay.Range(CalendarDay.First, CalendarDay.Last))
                {
                    dates.CreateRow()
                        .AppendValue(d.Date).AppendValue(d.Date.Year).AppendValue(d.Date.Month)
                        .AppendValue(d.MonthStart).AppendValue(d.MonthLabel)
                        .AppendValue(d.FinancialYear).AppendValue(d.FinancialYearStart)
                        .AppendValue(d.FinancialQuarter).AppendValue(d.FinancialQuarterLabel).AppendValue(d.FinancialQuarterStart)
                        .AppendValue(d.Weekday).AppendValue(d.IsWeekend).AppendValue(d.BankHoliday)
                        .AppendValue(d.IsWorkingDay).AppendValue(d.WorkingDaySeq)
                        .EndRow();
                }
            }

            using (var grades = connection.CreateAppender("dim_grade"))
            {
                foreach (var g in GradeExtensions.All)
                {
                    grades.CreateRow()
                        .AppendValue((int)g).AppendValue(g.DisplayName()).AppendValue(g.ShortName())
                        .AppendValue(g.Score()).AppendValue(g.IsGoodOrBetter())
                        .EndRow();
                }
            }

            using (var kpis = connection.CreateAppender("dim_kpi"))
            {
                foreach (var k in KpiCatalogue.BuiltIn)
                {
                    kpis.CreateRow()
                        .AppendValue(k.Code).AppendValue(k.Name)
                        .AppendValue(k.Unit.ToString().ToLowerInvariant())
                        .AppendValue(k.Polarity == Polarity.HigherIsBetter ? "higher_is_better" : "lower_is_better")
                        .AppendValue(k.StatutoryTimescale).AppendValue(k.Theme?.ToString())
                        .AppendValue(k.Target).AppendValue(k.Description).AppendValue("built-in")
                        .EndRow();
                }
            }

            using var teams = connection.CreateAppender("dim_team");
            foreach (var (id, name, area) in Teams)
            {
                teams.CreateRow()
                    .AppendValue(id).AppendValue("E06000045").AppendValue(name).AppendValue(area)
                    .AppendNullValue().AppendValue(RunId)
                    .EndRow();
            }
        }

        private static readonly (string Id, string Name, string Area)[] Teams =
        [
            ("T01", "Assessment Team North", "Children in Need"),
            ("T02", "Children in Care Team", "Children in Care"),
            ("T03", "Child Protection Team East", "Child Protection"),
        ];

        // (id, team, date, overall grade, moderated grade or null, re-audit of)
        private static readonly (string Id, string Team, DateOnly Date, Grade Overall, Grade? Moderated, string? ReauditOf)[] Audits =
        [
            // 2021/22 Q4
            ("A001", "T01", new(2022, 1, 12), Grade.Good, Grade.Good, null),
            ("A002", "T01", new(2022, 2, 3), Grade.RequiresImprovement, null, null),
            ("A003", "T02", new(2022, 2, 17), Grade.Outstanding, Grade.Good, null),
            ("A004", "T02", new(2022, 3, 9), Grade.Inadequate, null, null),
            ("A005", "T03", new(2022, 3, 22), Grade.Good, null, null),
            // 2022/23 Q1
            ("A006", "T01", new(2022, 4, 11), Grade.RequiresImprovement, Grade.Good, null),
            ("A007", "T01", new(2022, 5, 5), Grade.Good, null, null),
            ("A008", "T02", new(2022, 4, 25), Grade.RequiresImprovement, null, "A004"),
            ("A009", "T02", new(2022, 5, 19), Grade.Good, Grade.Good, null),
            ("A010", "T03", new(2022, 6, 8), Grade.Inadequate, Grade.RequiresImprovement, null),
            ("A011", "T03", new(2022, 6, 28), Grade.Good, null, null),
            // 2022/23 Q2
            ("A012", "T01", new(2022, 7, 14), Grade.Outstanding, null, null),
            ("A013", "T02", new(2022, 8, 10), Grade.Good, null, null),
            ("A014", "T02", new(2022, 9, 1), Grade.RequiresImprovement, Grade.Inadequate, null),
            ("A015", "T03", new(2022, 9, 20), Grade.Good, null, null),
        ];

        // (id, team, sent, due, returned, audit id)
        private static readonly (string Id, string Team, DateOnly Sent, DateOnly? Due, DateOnly? Returned, string? AuditId)[] Requests =
        [
            ("R001", "T01", new(2022, 1, 4), new(2022, 1, 25), new(2022, 1, 12), "A001"),
            ("R002", "T01", new(2022, 1, 4), new(2022, 1, 25), new(2022, 2, 3), "A002"),
            ("R003", "T02", new(2022, 2, 1), new(2022, 2, 22), new(2022, 2, 17), "A003"),
            ("R004", "T02", new(2022, 2, 1), new(2022, 2, 22), null, null),
            ("R005", "T03", new(2022, 3, 1), null, new(2022, 3, 22), "A005"),
            ("R006", "T03", new(2022, 3, 1), new(2022, 3, 22), null, null),
            ("R007", "T01", new(2022, 4, 4), new(2022, 4, 25), new(2022, 4, 11), "A006"),
            ("R008", "T02", new(2022, 5, 3), new(2022, 5, 24), new(2022, 5, 19), "A009"),
            ("R009", "T03", new(2022, 6, 1), new(2022, 6, 22), new(2022, 6, 28), "A011"),
            ("R010", "T03", new(2022, 6, 1), new(2022, 6, 22), null, null),
            ("R011", "T01", new(2022, 7, 4), new(2022, 7, 25), new(2022, 7, 14), "A012"),
            ("R012", "T02", new(2022, 8, 1), new(2022, 8, 22), new(2022, 8, 10), "A013"),
            ("R013", "T03", new(2022, 9, 1), new(2022, 9, 22), null, null),
        ];

        // (id, type, team, received, stage, responded, outcome)
        private static readonly (string Id, string Type, string? Team, DateOnly Received, string? Stage, DateOnly? Responded, string? Outcome)[] Complaints =
        [
            ("C001", "complaint", "T01", new(2022, 1, 10), "1", new(2022, 1, 20), "not upheld"),
            ("C002", "complaint", "T02", new(2022, 2, 1), "1", new(2022, 3, 1), "partly upheld"),
            ("C003", "complaint", "T02", new(2022, 3, 2), "2", new(2022, 4, 1), "upheld"),
            ("K001", "compliment", "T03", new(2022, 3, 15), null, null, null),
            ("M001", "mp_enquiry", "T01", new(2022, 3, 20), null, new(2022, 3, 30), null),
            ("C004", "complaint", "T01", new(2022, 4, 19), "1", new(2022, 4, 29), "upheld"),
            ("C005", "complaint", "T03", new(2022, 5, 9), "1", new(2022, 5, 30), "not upheld"),
            ("C006", "complaint", "T03", new(2022, 6, 6), "2", new(2022, 7, 8), "partly upheld"),
            ("C007", "complaint", "T02", new(2022, 7, 11), "1", new(2022, 7, 21), "withdrawn"),
            ("C008", "complaint", "T02", new(2022, 8, 15), "2", new(2022, 10, 3), "not upheld"),
            ("C009", "complaint", "T01", new(2022, 9, 26), "1", null, null),
            ("K002", "compliment", "T01", new(2022, 9, 12), null, null, null),
        ];

        public static void AppendFacts(DuckDBConnection connection)
        {
            var line = 1L;
            using (var audits = connection.CreateAppender("fact_audit"))
            {
                foreach (var a in Audits)
                {
                    var effective = a.Moderated ?? a.Overall;
                    var themes = (int)effective; // theme grades follow the overall grade in this sample
                    audits.CreateRow()
                        .AppendValue(a.Id).AppendValue("sample-child-key-" + a.Id) // stands in for the HMAC
                        .AppendValue(a.Team).AppendValue("W" + a.Team[1..]).AppendValue("M" + a.Team[1..])
                        .AppendValue(a.ReauditOf is null ? AuditType.Case : AuditType.ReAudit)
                        .AppendValue(a.Date).AppendValue((int)a.Overall)
                        .AppendValue((int?)a.Moderated).AppendValue(a.Moderated is null ? null : "QA1")
                        .AppendValue(a.Moderated is null ? (DateOnly?)null : a.Date.AddDays(14))
                        .AppendValue(a.Moderated is not null).AppendValue((int)effective)
                        .AppendValue(a.Overall.Score()).AppendValue(effective.Score())
                        .AppendValue(a.Moderated is null ? (int?)null : effective.Score() - a.Overall.Score())
                        .AppendValue(effective.IsGoodOrBetter())
                        .AppendValue(themes).AppendValue(themes).AppendValue(themes).AppendValue(themes).AppendValue(themes)
                        .AppendValue(true).AppendValue(effective == Grade.Inadequate)
                        .AppendValue(a.ReauditOf).AppendValue(RunId).AppendValue(++line)
                        .EndRow();
                }
            }

            line = 1;
            using (var requests = connection.CreateAppender("fact_audit_request"))
            {
                foreach (var r in Requests)
                {
                    bool? byDue = r.Due is { } due && r.Returned is { } returned ? returned <= due : null;
                    requests.CreateRow()
                        .AppendValue(r.Id).AppendValue(r.Team).AppendValue("M" + r.Team[1..])
                        .AppendValue(r.Sent).AppendValue(r.Due).AppendValue(r.Returned).AppendValue(r.AuditId)
                        .AppendValue(r.Returned is not null).AppendValue(byDue)
                        .AppendValue(RunId).AppendValue(++line)
                        .EndRow();
                }
            }

            line = 1;
            using (var kpis = connection.CreateAppender("fact_kpi"))
            {
                // Nine months for three teams; the numbers are arbitrary but vary by team and month.
                for (var month = new DateOnly(2022, 1, 1); month <= new DateOnly(2022, 9, 1); month = month.AddMonths(1))
                {
                    for (var t = 0; t < Teams.Length; t++)
                    {
                        var seed = month.Month + 3 * t;
                        AppendKpi(kpis, Teams[t].Id, month, KpiCatalogue.VisitsInTimescale, 20 + seed % 5, 24 + t, ++line);
                        AppendKpi(kpis, Teams[t].Id, month, KpiCatalogue.AssessmentsIn45Days, seed % 4 + 2, t == 2 && month.Month == 8 ? 0 : 6, ++line);
                        AppendKpi(kpis, Teams[t].Id, month, KpiCatalogue.SupervisionInTimescale, 15 + seed % 6, 22, ++line);
                        kpis.CreateRow()
                            .AppendValue(Teams[t].Id).AppendValue(month).AppendValue(KpiCatalogue.Caseload)
                            .AppendValue((long?)null).AppendValue((long?)null).AppendValue(16.0 + seed % 5)
                            .AppendValue(RunId).AppendValue(++line)
                            .EndRow();
                    }
                }
            }

            line = 1;
            using var complaints = connection.CreateAppender("fact_complaint");
            foreach (var c in Complaints)
            {
                int? dueDays = c.Stage switch { "1" => 10, "2" => 25, "3" => 30, _ => null };
                DateOnly? due = dueDays is { } n ? WorkingDays.AddWorkingDays(c.Received, n) : null;
                int? taken = c.Responded is { } done ? WorkingDays.Between(c.Received, done) : null;
                bool? onTime = due is { } d && c.Responded is { } r ? r <= d : null;
                complaints.CreateRow()
                    .AppendValue(c.Id).AppendValue(c.Type).AppendValue(c.Team).AppendValue(c.Received)
                    .AppendValue(c.Stage).AppendValue(c.Responded).AppendValue(c.Outcome).AppendValue("communication")
                    .AppendValue(dueDays).AppendValue(due).AppendValue(taken).AppendValue(onTime)
                    .AppendValue(RunId).AppendValue(++line)
                    .EndRow();
            }
        }

        private static void AppendKpi(DuckDBAppender kpis, string team, DateOnly month, string code, long numerator, long denominator, long line)
        {
            double? value = denominator == 0 ? null : 100.0 * numerator / denominator;
            kpis.CreateRow()
                .AppendValue(team).AppendValue(month).AppendValue(code)
                .AppendValue(numerator).AppendValue(denominator).AppendValue(value)
                .AppendValue(RunId).AppendValue(line)
                .EndRow();
        }

        public static void AppendIngestLog(DuckDBConnection connection)
        {
            (string File, string Kind, long Read, long Rejected)[] files =
            [
                ("teams.csv", "teams", Teams.Length, 0),
                ("audits.csv", "audits", Audits.Length + 1, 1),
                ("audit_requests.csv", "audit_requests", Requests.Length, 0),
                ("kpis.csv", "kpis", 9 * Teams.Length * 4 + 1, 1),
                ("complaints.csv", "complaints", Complaints.Length + 1, 1),
            ];
            using (var runs = connection.CreateAppender("ingest_runs"))
            {
                var started = LoadedAt;
                foreach (var f in files)
                {
                    var accepted = f.Read - f.Rejected;
                    runs.CreateRow()
                        .AppendValue(RunId).AppendValue(f.File).AppendValue(f.Kind)
                        .AppendValue(new string('0', 64)).AppendValue("utf-8")
                        .AppendValue(f.Read).AppendValue(accepted).AppendValue(f.Rejected)
                        .AppendValue(accepted).AppendValue(0L)
                        .AppendValue(started).AppendValue(started.AddSeconds(1))
                        .AppendValue("loaded").AppendValue((string?)null)
                        .EndRow();
                    started = started.AddSeconds(1);
                }
            }

            using var rejects = connection.CreateAppender("ingest_rejects");
            (string File, long Line, string Column, string Value, string Reason)[] rows =
            [
                ("audits.csv", 17, "overall_grade", "Gd", "unknown grade"),
                ("kpis.csv", 40, "numerator", "-3", "negative count"),
                ("complaints.csv", 7, "received_date", "31/02/2022", "not a date (expected dd/mm/yyyy)"),
            ];
            foreach (var r in rows)
            {
                rejects.CreateRow()
                    .AppendValue(RunId).AppendValue(r.File).AppendValue(r.Line)
                    .AppendValue(r.Column).AppendValue(r.Value).AppendValue(r.Reason)
                    .EndRow();
            }
        }
    }
}
