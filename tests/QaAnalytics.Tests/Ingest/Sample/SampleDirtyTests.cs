using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Complaints;
using QaAnalytics.Models.Kpis;

namespace QaAnalytics.Tests.Ingest.Sample;

public sealed partial class SampleDirtyTests(SampleDataFixture data) : IClassFixture<SampleDataFixture>
{
    private static readonly string[] FactFiles = [SampleFiles.Audits, SampleFiles.AuditRequests, SampleFiles.Kpis, SampleFiles.Complaints];

    private sealed record Expectation(string File, long Line, string Column, string Kind);

    private List<Expectation> Rejects() => Expectations(SampleFiles.ExpectedRejects, "reason_kind");

    private List<Expectation> Oddities() => Expectations(SampleFiles.ExpectedOddities, "kind");

    private List<Expectation> Expectations(string file, string kindColumn)
    {
        var table = data.Dirty(file);
        return table.Rows.Select(r => new Expectation(
            table.Get(r, "file"), long.Parse(table.Get(r, "line_no"), CultureInfo.InvariantCulture),
            table.Get(r, "column"), table.Get(r, kindColumn))).ToList();
    }

    [Fact]
    public void Write_Dirty_PlantsEveryDocumentedKind()
    {
        var kinds = Rejects().Select(r => r.Kind).ToHashSet();
        Assert.Equal(PlantedRejectKind.All.Order(), kinds.Order());

        var oddities = Oddities();
        Assert.Contains(oddities, o => o.Kind == PlantedOddityKind.FormulaLikeText);
        Assert.Contains(oddities, o => o.Kind == PlantedOddityKind.QuotedText);
        Assert.Contains(oddities, o => o.Kind == PlantedOddityKind.NonAsciiCp1252);
        var complaints = data.Dirty(SampleFiles.Complaints);
        // The theme, quoted as written, then the council (la_code, the last column).
        Assert.Contains(complaints.Lines, l => l.Contains(",\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",", StringComparison.Ordinal));
        Assert.Contains(complaints.Column("theme"), t => t == "=HYPERLINK(\"http://x\",\"click\")");
    }

    [Fact]
    public void Write_Dirty_BadRowsAreAboutOnePercentAndMatchTheSummary()
    {
        var rejects = Rejects();
        foreach (var file in FactFiles)
        {
            var summary = data.DirtySummary[file];
            Assert.Equal(rejects.Count(r => r.File == file), summary.PlantedBadRows);
            Assert.Equal(data.Dirty(file).Rows.Count, summary.Rows);
            Assert.InRange(summary.PlantedBadRows / (double)summary.Rows, 0.002, 0.03);
        }
        Assert.Equal(rejects.Count, data.DirtySummary.TotalPlantedBadRows);
        Assert.Equal(0, data.DirtySummary[SampleFiles.Teams].PlantedBadRows);
    }

    [Fact]
    public void Write_Dirty_RemovingPlantedRowsGivesTheCleanFiles()
    {
        var planted = Rejects().Concat(Oddities()).ToList();
        foreach (var file in FactFiles)
        {
            var skip = planted.Where(p => p.File == file).Select(p => p.Line).ToHashSet();
            var remaining = data.Dirty(file).Lines.Where((_, i) => !skip.Contains(i + 1));
            Assert.Equal(data.Clean(file).Lines, remaining);
        }
        // Same teams, same truth; only the teams file's encoding differs.
        Assert.Equal(data.Clean(SampleFiles.Teams).Lines, data.Dirty(SampleFiles.Teams).Lines);
        Assert.Equal(data.Clean(SampleFiles.TeamQuarters).Lines, data.Dirty(SampleFiles.TeamQuarters).Lines);
    }

    [Fact]
    public void Write_Dirty_TeamsFileIsWindows1252WithNonAsciiNames()
    {
        var bytes = File.ReadAllBytes(Path.Combine(data.DirtyOptions.OutDir, SampleFiles.Teams));
        Assert.True(bytes.Contains((byte)0x92) || bytes.Contains((byte)0xE9));
        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        Assert.Throws<DecoderFallbackException>(() => strictUtf8.GetString(bytes));

        var names = data.Dirty(SampleFiles.Teams).Column("team_name").ToList();
        Assert.Contains(names, n => n.Contains('\u2019') || n.Contains('\u00e9'));
        // The clean run writes the same names in UTF-8.
        Assert.Equal(names, data.Clean(SampleFiles.Teams).Column("team_name"));
    }

    [Fact]
    public void Write_Dirty_ExactlyThePlantedLinesBreakALoaderRule()
    {
        var rejects = Rejects();
        var oddities = Oddities();
        var teams = data.Dirty(SampleFiles.Teams).Column("team_id").ToHashSet();
        foreach (var file in FactFiles)
        {
            var faults = Validate(file, data.Dirty(file), teams);
            var expected = rejects.Where(r => r.File == file).ToList();
            Assert.Equal(expected.Select(e => e.Line).Order(), faults.Keys.Order());
            foreach (var e in expected)
            {
                Assert.Contains((e.Column, e.Kind), faults[e.Line]);
            }
            Assert.DoesNotContain(oddities, o => o.File == file && faults.ContainsKey(o.Line));
        }
    }

    /// <summary>A loader's row rules, written independently of the generator: line → faults found.</summary>
    private static Dictionary<long, List<(string Column, string Kind)>> Validate(string file, CsvTable table, HashSet<string> teams)
    {
        var result = new Dictionary<long, List<(string, string)>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            var faults = new List<(string, string)>();
            string V(string column) => table.Get(row, column);
            void Required(params string[] columns)
            {
                foreach (var c in columns) if (V(c).Length == 0) faults.Add((c, PlantedRejectKind.BlankRequired));
            }
            void Id(string column)
            {
                if (V(column).Length > 0 && !seen.Add(V(column))) faults.Add((column, PlantedRejectKind.DuplicateId));
            }
            void Team(string column)
            {
                if (V(column).Length > 0 && !teams.Contains(V(column))) faults.Add((column, PlantedRejectKind.UnknownTeam));
            }
            DateOnly? Date(string column, string format)
            {
                var v = V(column);
                if (v.Length == 0) return null;
                if (DateOnly.TryParseExact(v, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
                var us = UsShape().Match(v);
                faults.Add((column, us.Success && int.Parse(us.Groups[2].Value, CultureInfo.InvariantCulture) > 12
                    ? PlantedRejectKind.UsOrderDate
                    : PlantedRejectKind.ImpossibleDate));
                return null;
            }

            switch (file)
            {
                case SampleFiles.Audits:
                    Required("audit_id", "child_id", "team_id", "worker_id", "auditor_id", "audit_type", "audit_date", "overall_grade");
                    Id("audit_id");
                    Team("team_id");
                    var audited = Date("audit_date", "yyyy-MM-dd");
                    var moderated = Date("moderation_date", "yyyy-MM-dd");
                    foreach (var c in new[] { "overall_grade", "moderated_grade", "chronology_grade", "assessment_grade", "plan_grade", "visiting_grade", "supervision_grade" })
                    {
                        if (V(c).Length > 0 && !GradeParser.TryParse(V(c), out _)) faults.Add((c, PlantedRejectKind.UnknownGrade));
                    }
                    if (audited is { } a && moderated is { } m && m < a) faults.Add(("moderation_date", PlantedRejectKind.ModerationBeforeAudit));
                    break;

                case SampleFiles.AuditRequests:
                    Required("request_id", "team_id", "manager_id", "sent_date");
                    Id("request_id");
                    Team("team_id");
                    var sent = Date("sent_date", "yyyy-MM-dd");
                    Date("due_date", "yyyy-MM-dd");
                    var returned = Date("returned_date", "yyyy-MM-dd");
                    if (sent is { } s && returned is { } r && r < s) faults.Add(("returned_date", "returned_before_sent"));
                    break;

                case SampleFiles.Kpis:
                    Required("team_id", "period", "kpi_code");
                    Team("team_id");
                    if (V("period").Length > 0 && !PeriodShape().IsMatch(V("period"))) faults.Add(("period", PlantedRejectKind.BadPeriod));
                    var kpi = KpiCatalogue.BuiltIn.FirstOrDefault(k => k.Code == V("kpi_code"));
                    if (V("kpi_code").Length > 0 && kpi is null) faults.Add(("kpi_code", PlantedRejectKind.UnknownKpiCode));
                    if (kpi is { IsRate: true })
                    {
                        var numOk = long.TryParse(V("numerator"), CultureInfo.InvariantCulture, out var num);
                        var denOk = long.TryParse(V("denominator"), CultureInfo.InvariantCulture, out var den);
                        if (!numOk) faults.Add(("numerator", PlantedRejectKind.NonNumeric));
                        if (!denOk) faults.Add(("denominator", PlantedRejectKind.NonNumeric));
                        if (denOk && den < 0) faults.Add(("denominator", PlantedRejectKind.NegativeDenominator));
                        else if (numOk && denOk && num > den) faults.Add(("numerator", PlantedRejectKind.NumeratorAboveDenominator));
                    }
                    else if (kpi is not null && !double.TryParse(V("value"), CultureInfo.InvariantCulture, out _))
                    {
                        faults.Add(("value", PlantedRejectKind.NonNumeric));
                    }
                    break;

                case SampleFiles.Complaints:
                    Required("record_id", "record_type", "received_date");
                    Id("record_id");
                    if (V("team_id").Length > 0) Team("team_id");
                    var received = Date("received_date", "dd/MM/yyyy");
                    var responded = Date("responded_date", "dd/MM/yyyy");
                    if (V("record_type") == ComplaintVocabulary.Complaint)
                    {
                        if (!ComplaintStage.All.Any(st => st.Code == V("stage"))) faults.Add(("stage", PlantedRejectKind.InvalidStage));
                    }
                    else if (V("record_type").Length > 0 && V("stage").Length > 0)
                    {
                        faults.Add(("stage", PlantedRejectKind.StageOnNonComplaint));
                    }
                    if (V("record_type").Length > 0 && !ComplaintVocabulary.RecordTypes.Contains(V("record_type"))) faults.Add(("record_type", "unknown_record_type"));
                    if (received is { } rec && responded is { } resp && resp < rec) faults.Add(("responded_date", PlantedRejectKind.RespondedBeforeReceived));
                    break;
            }
            if (faults.Count > 0) result[i + 2] = faults;
        }
        return result;
    }

    [GeneratedRegex(@"^(\d{2})/(\d{2})/\d{4}$")]
    private static partial Regex UsShape();

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex PeriodShape();
}
