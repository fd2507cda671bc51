using QaAnalytics.Models.Csv;
using System.Globalization;
using System.Text;

namespace QaAnalytics.Ingest.Sample;

/// <summary>The open files and the shared calendar for one run.</summary>
internal sealed class SampleContext : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly Encoding Utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    private readonly List<(string File, CsvWriter Writer)> _files = [];

    public SampleContext(SampleOptions options)
    {
        Options = options;
        First = options.FirstDate;
        Last = options.LastDate;
        Calendar = new WorkingCalendar(First.AddYears(-1), Last.AddYears(2));
        Months = new SampleMonth[options.Years * 12];
        for (var m = 0; m < Months.Length; m++)
        {
            var start = First.AddMonths(m);
            Months[m] = new SampleMonth(m, start, Calendar.WorkingDaysIn(start.Year, start.Month));
        }

        var teamsEncoding = options.Dirty
            ? Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
            : Utf8;
        Teams = Open(SampleFiles.Teams, teamsEncoding, ["la_code", "team_id", "team_name", "service_area", "parent_team_id"]);
        Audits = Open(SampleFiles.Audits, Utf8Bom,
        [
            "audit_id", "child_id", "team_id", "worker_id", "auditor_id", "audit_type", "audit_date", "overall_grade",
            "moderated_grade", "moderator_id", "moderation_date", "chronology_grade", "assessment_grade", "plan_grade",
            "visiting_grade", "supervision_grade", "child_voice_evident", "immediate_concern", "reaudit_of",
        ]);
        Requests = Open(SampleFiles.AuditRequests, Utf8,
            ["request_id", "team_id", "manager_id", "sent_date", "due_date", "returned_date", "audit_id"]);
        Kpis = Open(SampleFiles.Kpis, Utf8, ["team_id", "period", "kpi_code", "numerator", "denominator", "value"]);
        Complaints = Open(SampleFiles.Complaints, Utf8,
            ["record_id", "record_type", "team_id", "received_date", "stage", "responded_date", "outcome", "theme", "la_code"]);
        TeamQuarters = Open(SampleFiles.TeamQuarters, Utf8,
        [
            "team_id", "financial_quarter", "quarter_start", "pressure", "quality", "process_driven",
            "quality_decline_next_quarter", "pressure_episode",
        ]);
        Rejects = Open(SampleFiles.ExpectedRejects, Utf8, ["file", "line_no", "column", "reason_kind"]);
        Oddities = Open(SampleFiles.ExpectedOddities, Utf8, ["file", "line_no", "column", "kind"]);
    }

    public SampleOptions Options { get; }
    public DateOnly First { get; }
    public DateOnly Last { get; }
    public WorkingCalendar Calendar { get; }
    public SampleMonth[] Months { get; }

    public CsvWriter Teams { get; }
    public CsvWriter Audits { get; }
    public CsvWriter Requests { get; }
    public CsvWriter Kpis { get; }
    public CsvWriter Complaints { get; }
    public CsvWriter TeamQuarters { get; }
    public CsvWriter Rejects { get; }
    public CsvWriter Oddities { get; }

    /// <summary>Records that the row just written to <paramref name="file"/> must be rejected.</summary>
    public void ExpectReject(CsvWriter file, string column, string kind)
    {
        file.PlantedBadRows++;
        Rejects.WriteRow([NameOf(file), file.Line.ToString(CultureInfo.InvariantCulture), column, kind]);
    }

    /// <summary>Records that the row just written to <paramref name="file"/> holds an awkward value that must be accepted.</summary>
    public void ExpectOddity(CsvWriter file, string column, string kind) =>
        Oddities.WriteRow([NameOf(file), file.Line.ToString(CultureInfo.InvariantCulture), column, kind]);

    public SampleSummary Summary() =>
        new(Options.OutDir, _files.Select(f => new SampleFileSummary(f.File, f.Writer.DataRows, f.Writer.PlantedBadRows)).ToList());

    public void Dispose()
    {
        foreach (var (_, writer) in _files) writer.Dispose();
    }

    private string NameOf(CsvWriter writer) => _files.First(f => ReferenceEquals(f.Writer, writer)).File;

    private CsvWriter Open(string file, Encoding encoding, string[] header)
    {
        var writer = new CsvWriter(Path.Combine(Options.OutDir, file), encoding, header);
        _files.Add((file, writer));
        return writer;
    }
}
