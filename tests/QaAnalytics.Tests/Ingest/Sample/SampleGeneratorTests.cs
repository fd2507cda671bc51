using QaAnalytics.Models.Csv;
using System.Globalization;
using System.Security.Cryptography;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Calendar;
using QaAnalytics.Models.Complaints;
using QaAnalytics.Models.Kpis;

namespace QaAnalytics.Tests.Ingest.Sample;

public sealed class SampleGeneratorTests(SampleDataFixture data) : IClassFixture<SampleDataFixture>
{
    private static readonly string[] GradeColumns =
        ["overall_grade", "moderated_grade", "chronology_grade", "assessment_grade", "plan_grade", "visiting_grade", "supervision_grade"];

    private int CouncilMonths => data.CleanOptions.Councils * data.CleanOptions.Years * 12;

    [Fact]
    public void Write_SameSeed_ProducesIdenticalFiles()
    {
        var root = Path.Combine(Path.GetTempPath(), "qa-sample-det-" + Guid.NewGuid().ToString("N"));
        try
        {
            var a = new SampleOptions(Path.Combine(root, "a"), Councils: 1, Years: 1, Seed: 7, Dirty: true);
            SampleGenerator.Write(a);
            SampleGenerator.Write(a with { OutDir = Path.Combine(root, "b") });

            var hashesA = Hashes(a.OutDir);
            var hashesB = Hashes(Path.Combine(root, "b"));
            Assert.Equal(9, hashesA.Count);
            Assert.Equal(hashesA, hashesB);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Write_DifferentSeed_ProducesDifferentFiles()
    {
        var root = Path.Combine(Path.GetTempPath(), "qa-sample-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var a = new SampleOptions(Path.Combine(root, "a"), Councils: 1, Years: 1, Seed: 1);
            var b = a with { OutDir = Path.Combine(root, "b"), Seed = 2 };
            SampleGenerator.Write(a);
            SampleGenerator.Write(b);

            var hashesA = Hashes(a.OutDir);
            var hashesB = Hashes(b.OutDir);
            foreach (var file in new[] { SampleFiles.Audits, SampleFiles.AuditRequests, SampleFiles.Kpis, SampleFiles.Complaints, SampleFiles.TeamQuarters })
            {
                Assert.NotEqual(hashesA[file], hashesB[file]);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Write_Summary_MatchesLinesOnDisk()
    {
        foreach (var file in data.CleanSummary.Files)
        {
            Assert.Equal(file.Rows, data.Clean(file.File).Rows.Count);
            Assert.Equal(0, file.PlantedBadRows);
        }
        Assert.True(File.Exists(Path.Combine(data.CleanOptions.OutDir, SampleFiles.TruthReadme)));
        Assert.Empty(data.Clean(SampleFiles.ExpectedRejects).Rows);
    }

    [Fact]
    public void Write_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleGenerator.Write(new SampleOptions("x", Councils: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleGenerator.Write(new SampleOptions("x", Councils: 201)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleGenerator.Write(new SampleOptions("x", Years: 0)));
        Assert.Throws<ArgumentException>(() => SampleGenerator.Write(new SampleOptions(" ")));
    }

    [Fact]
    public void Write_Files_HaveTheContractEncodings()
    {
        var audits = File.ReadAllBytes(Path.Combine(data.CleanOptions.OutDir, SampleFiles.Audits));
        Assert.Equal([0xEF, 0xBB, 0xBF], audits[..3]);
        foreach (var file in new[] { SampleFiles.Teams, SampleFiles.AuditRequests, SampleFiles.Kpis, SampleFiles.Complaints })
        {
            var bytes = File.ReadAllBytes(Path.Combine(data.CleanOptions.OutDir, file));
            Assert.NotEqual(0xEF, bytes[0]);
        }
        Assert.Equal(["la_code", "team_id", "team_name", "service_area", "parent_team_id"], data.Clean(SampleFiles.Teams).Header);
        Assert.Equal(19, data.Clean(SampleFiles.Audits).Header.Length);
    }

    [Fact]
    public void Write_Teams_TwelveToEighteenPerCouncilAcrossTheFiveServiceAreas()
    {
        var teams = data.Clean(SampleFiles.Teams);
        Assert.Equal(teams.Rows.Count, teams.Column("team_id").Distinct().Count());
        Assert.All(teams.Rows, r => Assert.Equal("", teams.Get(r, "parent_team_id")));
        Assert.All(teams.Rows, r => Assert.StartsWith(teams.Get(r, "la_code") + "-T", teams.Get(r, "team_id"), StringComparison.Ordinal));

        string[] areas = ["MASH", "Assessment", "Child Protection / Family Safeguarding", "Children in Care", "Care Leavers"];
        foreach (var council in teams.Rows.GroupBy(r => teams.Get(r, "la_code")))
        {
            Assert.InRange(council.Count(), 12, 18);
            var byArea = council.GroupBy(r => teams.Get(r, "service_area")).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(areas.Order(), byArea.Keys.Order());
            Assert.InRange(byArea["MASH"], 1, 2);
            Assert.InRange(byArea["Assessment"], 3, 4);
            Assert.InRange(byArea["Children in Care"], 3, 4);
            Assert.InRange(byArea["Care Leavers"], 1, 2);
        }
        Assert.Equal(["800", "801", "802"], teams.Column("la_code").Distinct().Order());
    }

    [Fact]
    public void Write_Audits_EveryGradeParses()
    {
        var audits = data.Clean(SampleFiles.Audits);
        var spellings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in audits.Rows)
        {
            Assert.True(GradeParser.TryParse(audits.Get(row, "overall_grade"), out _));
            foreach (var column in GradeColumns)
            {
                var value = audits.Get(row, column);
                if (value.Length == 0) continue;
                Assert.True(GradeParser.TryParse(value, out _), $"{column} '{value}'");
                spellings.Add(value);
            }
        }
        // Spellings vary the way trackers do.
        Assert.Contains("Requires Improvement", spellings);
        Assert.Contains("RI", spellings);
        Assert.Contains("Requires improvement to be good", spellings);
        Assert.Contains("good", spellings);
        Assert.Contains("3", spellings);
    }

    [Fact]
    public void Write_Audits_AboutFiftyPerCouncilMonthOnWorkingDaysInRange()
    {
        var audits = data.Clean(SampleFiles.Audits);
        Assert.InRange(audits.Rows.Count / (double)CouncilMonths, 44, 56);
        Assert.Equal(audits.Rows.Count, audits.Column("audit_id").Distinct().Count());

        var teams = data.Clean(SampleFiles.Teams).Column("team_id").ToHashSet();
        foreach (var row in audits.Rows)
        {
            var date = Iso(audits.Get(row, "audit_date"));
            Assert.True(WorkingDays.IsWorkingDay(date), $"{date} is not a working day");
            Assert.InRange(date, data.CleanOptions.FirstDate, data.CleanOptions.LastDate);
            Assert.Contains(audits.Get(row, "team_id"), teams);
            Assert.Contains(audits.Get(row, "audit_type"), AuditType.All);
            Assert.Matches("^C[0-9]{7}$", audits.Get(row, "child_id"));
            Assert.Contains(audits.Get(row, "child_voice_evident"), new[] { "Y", "N" });
            Assert.Contains(audits.Get(row, "immediate_concern"), new[] { "Y", "N" });
        }
    }

    [Fact]
    public void Write_Audits_GradeMixNearTargets()
    {
        var audits = data.Clean(SampleFiles.Audits);
        var grades = audits.Column("overall_grade").Select(ParseGrade).ToList();
        double Share(Grade g) => grades.Count(x => x == g) / (double)grades.Count;

        Assert.InRange(Share(Grade.Outstanding), 0.01, 0.06);
        Assert.InRange(Share(Grade.Good), 0.19, 0.35);
        Assert.InRange(Share(Grade.RequiresImprovement), 0.53, 0.67);
        Assert.InRange(Share(Grade.Inadequate), 0.06, 0.17);

        // Theme grades follow a similar mix.
        var visiting = audits.Column("visiting_grade").Where(v => v.Length > 0).Select(ParseGrade).ToList();
        Assert.InRange(visiting.Count(g => g <= Grade.Good) / (double)visiting.Count, 0.16, 0.38);
    }

    [Fact]
    public void Write_Audits_AboutOneFifthModeratedMostlyAgreeingAndDowngradingMoreThanUpgrading()
    {
        var audits = data.Clean(SampleFiles.Audits);
        var moderated = audits.Rows.Where(r => audits.Get(r, "moderated_grade").Length > 0).ToList();
        Assert.InRange(moderated.Count / (double)audits.Rows.Count, 0.16, 0.24);

        var changes = new List<int>();
        foreach (var row in moderated)
        {
            var days = WorkingDays.Between(Iso(audits.Get(row, "audit_date")), Iso(audits.Get(row, "moderation_date")));
            Assert.InRange(days, 1, 20);
            Assert.NotEqual(audits.Get(row, "auditor_id"), audits.Get(row, "moderator_id"));
            // Ofsted codes: a positive change is a downgrade.
            changes.Add((int)ParseGrade(audits.Get(row, "moderated_grade")) - (int)ParseGrade(audits.Get(row, "overall_grade")));
        }
        Assert.InRange(changes.Count(c => c == 0) / (double)changes.Count, 0.65, 0.92);
        var disagreements = changes.Where(c => c != 0).ToList();
        Assert.True(disagreements.Count(c => Math.Abs(c) == 1) >= 0.85 * disagreements.Count);
        Assert.True(disagreements.Count(c => c > 0) > disagreements.Count(c => c < 0), "downgrades should outnumber upgrades");
        Assert.All(audits.Rows.Where(r => audits.Get(r, "moderated_grade").Length == 0),
            r => Assert.Equal("", audits.Get(r, "moderation_date") + audits.Get(r, "moderator_id")));
    }

    [Fact]
    public void Write_Audits_InadequateMostlyReauditedAboutSixWeeksLaterMostlyRi()
    {
        var audits = data.Clean(SampleFiles.Audits);
        var byId = audits.Rows.ToDictionary(r => audits.Get(r, "audit_id"));
        var reaudits = audits.Rows.Where(r => audits.Get(r, "audit_type") == AuditType.ReAudit).ToList();
        Assert.NotEmpty(reaudits);

        foreach (var row in reaudits)
        {
            var original = byId[audits.Get(row, "reaudit_of")];
            Assert.Equal(Grade.Inadequate, ParseGrade(audits.Get(original, "overall_grade")));
            Assert.Equal(audits.Get(original, "child_id"), audits.Get(row, "child_id"));
            Assert.Equal(audits.Get(original, "team_id"), audits.Get(row, "team_id"));
            Assert.InRange(WorkingDays.Between(Iso(audits.Get(original, "audit_date")), Iso(audits.Get(row, "audit_date"))), 28, 32);
        }
        Assert.True(reaudits.Count(r => ParseGrade(audits.Get(r, "overall_grade")) == Grade.RequiresImprovement) > 0.5 * reaudits.Count);
        Assert.All(audits.Rows.Where(r => audits.Get(r, "audit_type") != AuditType.ReAudit),
            r => Assert.Equal("", audits.Get(r, "reaudit_of")));

        // Most Inadequate audits old enough to have been re-audited were.
        var cutoff = data.CleanOptions.LastDate.AddMonths(-3);
        var inadequate = audits.Rows
            .Where(r => audits.Get(r, "audit_type") != AuditType.ReAudit
                && ParseGrade(audits.Get(r, "overall_grade")) == Grade.Inadequate
                && Iso(audits.Get(r, "audit_date")) < cutoff)
            .Select(r => audits.Get(r, "audit_id"))
            .ToList();
        var reaudited = reaudits.Select(r => audits.Get(r, "reaudit_of")).ToHashSet();
        Assert.InRange(inadequate.Count(reaudited.Contains) / (double)inadequate.Count, 0.65, 0.95);
    }

    [Fact]
    public void Write_AuditRequests_TeamReturnRatesBetween10And90AndLinksAreReal()
    {
        var requests = data.Clean(SampleFiles.AuditRequests);
        var audits = data.Clean(SampleFiles.Audits);
        var auditTeam = audits.Rows.ToDictionary(r => audits.Get(r, "audit_id"), r => audits.Get(r, "team_id"));
        var auditDate = audits.Rows.ToDictionary(r => audits.Get(r, "audit_id"), r => Iso(audits.Get(r, "audit_date")));
        var last = data.CleanOptions.LastDate;

        foreach (var row in requests.Rows)
        {
            var sent = Iso(requests.Get(row, "sent_date"));
            Assert.Equal(WorkingDays.AddWorkingDays(sent, 20), Iso(requests.Get(row, "due_date")));
            var returned = requests.Get(row, "returned_date");
            var auditId = requests.Get(row, "audit_id");
            if (returned.Length > 0) Assert.InRange(Iso(returned), sent, last);
            if (auditId.Length == 0) continue;
            Assert.Equal(requests.Get(row, "team_id"), auditTeam[auditId]);
            Assert.Equal(auditDate[auditId], Iso(returned));
        }
        Assert.Equal(
            requests.Column("audit_id").Count(a => a.Length > 0),
            requests.Column("audit_id").Where(a => a.Length > 0).Distinct().Count());

        // Return rates over requests whose due date has passed by a clear margin.
        var rates = requests.Rows
            .Where(r => Iso(requests.Get(r, "due_date")) < last.AddMonths(-2))
            .GroupBy(r => requests.Get(r, "team_id"))
            .Select(g => g.Count(r => requests.Get(r, "returned_date").Length > 0) / (double)g.Count())
            .ToList();
        Assert.All(rates, rate => Assert.InRange(rate, 0.10, 0.90));
        Assert.True(rates.Max() - rates.Min() > 0.3, "return rates should differ between teams");
        var linked = requests.Column("audit_id").Count(a => a.Length > 0);
        Assert.True(linked > 0.7 * requests.Column("returned_date").Count(d => d.Length > 0), "most returns link to an audit");
    }

    [Fact]
    public void Write_Kpis_EveryTeamEveryMonthReportsItsKpisWithValidNumbers()
    {
        var kpis = data.Clean(SampleFiles.Kpis);
        var teams = data.Clean(SampleFiles.Teams);
        var area = teams.Rows.ToDictionary(r => teams.Get(r, "team_id"), r => teams.Get(r, "service_area"));
        var rateCodes = KpiCatalogue.BuiltIn.Where(k => k.IsRate).Select(k => k.Code).ToHashSet();
        var months = Enumerable.Range(0, data.CleanOptions.Years * 12)
            .Select(m => data.CleanOptions.FirstDate.AddMonths(m).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();

        var reported = kpis.Rows.GroupBy(r => (Team: kpis.Get(r, "team_id"), Period: kpis.Get(r, "period")))
            .ToDictionary(g => g.Key, g => g.Select(r => kpis.Get(r, "kpi_code")).ToList());
        foreach (var (team, serviceArea) in area)
        {
            string[] expected = serviceArea switch
            {
                "MASH" => [KpiCatalogue.ContactDecisionIn1Day, KpiCatalogue.SupervisionInTimescale, KpiCatalogue.ChronologyUpToDate],
                "Assessment" => [KpiCatalogue.AssessmentsIn45Days, KpiCatalogue.VisitsInTimescale, KpiCatalogue.SupervisionInTimescale, KpiCatalogue.ChronologyUpToDate, KpiCatalogue.PlansReviewedOnTime],
                "Child Protection / Family Safeguarding" => [KpiCatalogue.IcpcIn15Days, KpiCatalogue.VisitsInTimescale, KpiCatalogue.SupervisionInTimescale, KpiCatalogue.ChronologyUpToDate, KpiCatalogue.PlansReviewedOnTime],
                _ => [KpiCatalogue.VisitsInTimescale, KpiCatalogue.SupervisionInTimescale, KpiCatalogue.ChronologyUpToDate, KpiCatalogue.PlansReviewedOnTime],
            };
            foreach (var month in months)
            {
                var codes = reported[(team, month)];
                Assert.Equal(expected.Append(KpiCatalogue.Caseload).Append(KpiCatalogue.AgencyWorkerRate).Order(), codes.Order());
            }
        }

        foreach (var row in kpis.Rows)
        {
            var code = kpis.Get(row, "kpi_code");
            if (rateCodes.Contains(code))
            {
                var numerator = long.Parse(kpis.Get(row, "numerator"), CultureInfo.InvariantCulture);
                var denominator = long.Parse(kpis.Get(row, "denominator"), CultureInfo.InvariantCulture);
                Assert.InRange(numerator, 0, denominator);
                Assert.Equal("", kpis.Get(row, "value"));
            }
            else
            {
                Assert.Equal("", kpis.Get(row, "numerator") + kpis.Get(row, "denominator"));
                Assert.Matches(@"^[0-9]+\.[0-9]$", kpis.Get(row, "value"));
            }
        }
        var caseloads = kpis.Rows.Where(r => kpis.Get(r, "kpi_code") == KpiCatalogue.Caseload)
            .Select(r => double.Parse(kpis.Get(r, "value"), CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(caseloads.Average(), 12, 24);
    }

    [Fact]
    public void Write_Complaints_MixStagesAndTeamsNearTargets()
    {
        var complaints = data.Clean(SampleFiles.Complaints);
        var rows = complaints.Rows;
        Assert.InRange(rows.Count / (double)CouncilMonths, 21, 29);
        double Share(string type) => complaints.Column("record_type").Count(t => t == type) / (double)rows.Count;
        Assert.InRange(Share(ComplaintVocabulary.Complaint), 0.58, 0.72);
        Assert.InRange(Share(ComplaintVocabulary.MpEnquiry), 0.09, 0.19);
        Assert.InRange(Share(ComplaintVocabulary.Compliment), 0.15, 0.27);
        Assert.InRange(complaints.Column("team_id").Count(t => t.Length == 0) / (double)rows.Count, 0.02, 0.09);

        var stages = rows.Where(r => complaints.Get(r, "record_type") == ComplaintVocabulary.Complaint)
            .Select(r => complaints.Get(r, "stage")).ToList();
        Assert.InRange(stages.Count(s => s == "1") / (double)stages.Count, 0.78, 0.93);
        Assert.InRange(stages.Count(s => s == "2") / (double)stages.Count, 0.05, 0.16);
        Assert.All(stages, s => Assert.Contains(s, ComplaintStage.All.Select(x => x.Code)));

        foreach (var row in rows)
        {
            var type = complaints.Get(row, "record_type");
            var received = Uk(complaints.Get(row, "received_date"));
            Assert.InRange(received, data.CleanOptions.FirstDate, data.CleanOptions.LastDate);
            var responded = complaints.Get(row, "responded_date");
            if (responded.Length > 0) Assert.InRange(Uk(responded), received, data.CleanOptions.LastDate);
            if (type != ComplaintVocabulary.Complaint)
            {
                Assert.Equal("", complaints.Get(row, "stage") + complaints.Get(row, "outcome"));
            }
            else if (responded.Length > 0)
            {
                Assert.Contains(complaints.Get(row, "outcome"), ComplaintVocabulary.Outcomes);
            }
            Assert.NotEqual("", complaints.Get(row, "theme"));
        }
        // Only recent records are still open.
        Assert.All(
            rows.Where(r => complaints.Get(r, "record_type") == ComplaintVocabulary.Complaint && complaints.Get(r, "stage") is "1" or "2"
                && complaints.Get(r, "responded_date").Length == 0),
            r => Assert.True(Uk(complaints.Get(r, "received_date")) > data.CleanOptions.LastDate.AddMonths(-4)));
    }

    [Fact]
    public void Write_Complaints_Stage1OnTimeBetween55And70PercentStage2AboutHalf()
    {
        var complaints = data.Clean(SampleFiles.Complaints);
        double OnTime(string stage, int days)
        {
            var answered = complaints.Rows
                .Where(r => complaints.Get(r, "stage") == stage && complaints.Get(r, "responded_date").Length > 0)
                .Select(r => WorkingDays.Between(Uk(complaints.Get(r, "received_date")), Uk(complaints.Get(r, "responded_date"))))
                .ToList();
            return answered.Count(d => d <= days) / (double)answered.Count;
        }
        Assert.InRange(OnTime("1", 10), 0.55, 0.70);
        Assert.InRange(OnTime("2", 25), 0.40, 0.70);
    }

    [Fact]
    public void WorkingCalendar_AgreesWithWorkingDays()
    {
        var calendar = new WorkingCalendar(new DateOnly(2019, 1, 1), new DateOnly(2028, 12, 31));
        var rng = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var start = new DateOnly(2020, 1, 1).AddDays(rng.Next(365 * 6));
            var n = rng.Next(0, 70);
            Assert.Equal(WorkingDays.AddWorkingDays(start, n), calendar.AddWorkingDays(start, n));
            var end = start.AddDays(rng.Next(-5, 100));
            Assert.Equal(WorkingDays.Between(start, end), calendar.Between(start, end));
            Assert.Equal(WorkingDays.IsWorkingDay(start), calendar.IsWorkingDay(start));
        }
    }

    [Fact]
    public void CsvWriter_QuotesOnlyWhenNeeded()
    {
        var path = Path.Combine(data.Root, "writer.csv");
        using (var writer = new CsvWriter(path, new System.Text.UTF8Encoding(false), ["a", "b", "c"]))
        {
            writer.WriteRow(["plain", "with, comma", "say \"hi\""]);
            writer.WriteRow([null, "", "=HYPERLINK(\"http://x\",\"click\")"]);
            Assert.Equal(3, writer.Line);
        }
        Assert.Equal(
            "a,b,c\r\nplain,\"with, comma\",\"say \"\"hi\"\"\"\r\n,,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\r\n",
            File.ReadAllText(path));
        Assert.Equal(["", "", "=HYPERLINK(\"http://x\",\"click\")"], SampleCsv.Parse(",,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""));
    }

    internal static Grade ParseGrade(string text) =>
        GradeParser.TryParse(text, out var grade) ? grade : throw new FormatException($"Grade '{text}'");

    internal static DateOnly Iso(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly Uk(string text) => DateOnly.ParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(
                f => Path.GetRelativePath(dir, f).Replace('\\', '/'),
                f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
