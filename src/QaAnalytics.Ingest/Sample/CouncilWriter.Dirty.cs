using System.Globalization;
using QaAnalytics.Models.Complaints;
using K = QaAnalytics.Ingest.Sample.PlantedRejectKind;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Dirty mode. After a clean row, with a small probability, an extra row is written that carries
/// exactly one fault a loader must reject (recorded in truth/expected_rejects.csv), or, for
/// complaints, an awkward value it must accept (truth/expected_oddities.csv). The clean rows are
/// the clean run's rows, untouched: the dirty draws come from their own random streams.
/// </summary>
internal sealed partial class CouncilWriter
{
    /// <summary>Chance of a planted bad row after each clean row: about 0.75% of rows.</summary>
    private const double BadRowRate = 0.0075;

    private const double OddityRate = 0.003;

    private const int DirtyIdBase = 900_000;

    private static readonly string[] UnknownGrades = ["Satisfactory", "Adequate", "Good/RI"];
    private static readonly string[] UnknownKpiCodes = ["CIN_VISITS_10WD", "STAFF_SICKNESS", "VISIT_TIMELINESS"];

    private static readonly (string Text, string Kind)[] OddThemes =
    [
        ("=HYPERLINK(\"http://x\",\"click\")", PlantedOddityKind.FormulaLikeText),
        ("+44 7700 900123 asked for a call back", PlantedOddityKind.FormulaLikeText),
        ("-delay in reply", PlantedOddityKind.FormulaLikeText),
        ("@Team manager not responding", PlantedOddityKind.FormulaLikeText),
        ("Delay, then \"lost\" letter", PlantedOddityKind.QuotedText),
    ];

    private Random? _dirtyAudits;
    private Random? _dirtyRequests;
    private Random? _dirtyKpis;
    private Random? _dirtyComplaints;
    private int _dirtySeq;

    private Random DirtyRng(ref Random? rng, SampleStream stream) =>
        rng ??= SampleRandom.Create(_options.Seed, stream, council.Index);

    private string DirtyId(string prefix) => $"{council.LaCode}-{prefix}{DirtyIdBase + ++_dirtySeq:000000}";

    private string UnknownTeamId(Random rng) => $"{council.LaCode}-T{rng.Between(90, 99)}";

    private void PlantAfterAudit(string?[] clean, DateOnly date)
    {
        if (!_options.Dirty) return;
        var rng = DirtyRng(ref _dirtyAudits, SampleStream.DirtyAudits);
        if (!rng.Chance(BadRowRate)) return;

        var row = (string?[])clean.Clone();
        var kind = rng.Next(7);
        if (kind != 5) row[0] = DirtyId("A");
        string column, reason;
        switch (kind)
        {
            case 0:
                row[7] = rng.Pick(UnknownGrades);
                (column, reason) = ("overall_grade", K.UnknownGrade);
                break;
            case 1:
                ClearModeration(row);
                row[6] = UsOrder(rng, date);
                (column, reason) = ("audit_date", K.UsOrderDate);
                break;
            case 2:
                ClearModeration(row);
                row[6] = ImpossibleDate(rng, date.Year, iso: true);
                (column, reason) = ("audit_date", K.ImpossibleDate);
                break;
            case 3:
                var blank = rng.Pick<(int Index, string Name)>([(0, "audit_id"), (2, "team_id"), (6, "audit_date"), (7, "overall_grade")]);
                if (blank.Index == 6) ClearModeration(row);
                row[blank.Index] = null;
                (column, reason) = (blank.Name, K.BlankRequired);
                break;
            case 4:
                row[2] = UnknownTeamId(rng);
                (column, reason) = ("team_id", K.UnknownTeam);
                break;
            case 5:
                (column, reason) = ("audit_id", K.DuplicateId);
                break;
            default:
                row[8] = row[7];
                row[9] = council.QaStaff[0];
                row[10] = Iso(date.AddDays(-rng.Between(1, 14)));
                (column, reason) = ("moderation_date", K.ModerationBeforeAudit);
                break;
        }
        context.Audits.WriteRow(row);
        context.ExpectReject(context.Audits, column, reason);

        static void ClearModeration(string?[] row) => row[8] = row[9] = row[10] = null;
    }

    private void PlantAfterRequest(string?[] clean, DateOnly sent)
    {
        if (!_options.Dirty) return;
        var rng = DirtyRng(ref _dirtyRequests, SampleStream.DirtyRequests);
        if (!rng.Chance(BadRowRate)) return;

        var row = (string?[])clean.Clone();
        var kind = rng.Next(5);
        if (kind != 4)
        {
            row[0] = DirtyId("Q");
            row[5] = row[6] = null;   // not returned, so no second rule can fire
        }
        string column, reason;
        switch (kind)
        {
            case 0:
                var blank = rng.Pick<(int Index, string Name)>([(0, "request_id"), (1, "team_id"), (3, "sent_date")]);
                row[blank.Index] = null;
                (column, reason) = (blank.Name, K.BlankRequired);
                break;
            case 1:
                row[1] = UnknownTeamId(rng);
                (column, reason) = ("team_id", K.UnknownTeam);
                break;
            case 2:
                row[3] = ImpossibleDate(rng, sent.Year, iso: true);
                (column, reason) = ("sent_date", K.ImpossibleDate);
                break;
            case 3:
                row[3] = UsOrder(rng, sent);
                (column, reason) = ("sent_date", K.UsOrderDate);
                break;
            default:
                (column, reason) = ("request_id", K.DuplicateId);
                break;
        }
        context.Requests.WriteRow(row);
        context.ExpectReject(context.Requests, column, reason);
    }

    /// <summary>
    /// KPI bad rows use a rate KPI the team does not report (or an invalid team/period/code), so a
    /// bad row never shares its key with a good one.
    /// </summary>
    private void PlantAfterKpi(SampleTeam team, SampleMonth month)
    {
        if (!_options.Dirty) return;
        var rng = DirtyRng(ref _dirtyKpis, SampleStream.DirtyKpis);
        if (!rng.Chance(BadRowRate)) return;

        var unreported = KpiOrder.Where(k => !team.Reports(k)).ToArray();
        var denominator = rng.Between(5, 40);
        string?[] row =
        [
            team.TeamId, month.Period, ComplianceCodes[(int)rng.Pick(unreported)],
            Int(rng.Between(0, denominator)), Int(denominator), null,
        ];
        var supervision = ComplianceCodes[(int)ComplianceKpi.Supervision];
        string column, reason;
        switch (rng.Next(7))
        {
            case 0:
                row[3] = Int(denominator + rng.Between(1, 5));
                (column, reason) = ("numerator", K.NumeratorAboveDenominator);
                break;
            case 1:
                row[3] = "0";
                row[4] = Int(-rng.Between(1, 30));
                (column, reason) = ("denominator", K.NegativeDenominator);
                break;
            case 2:
                row[3] = "n/a";
                (column, reason) = ("numerator", K.NonNumeric);
                break;
            case 3:
                row[2] = rng.Pick(UnknownKpiCodes);
                (column, reason) = ("kpi_code", K.UnknownKpiCode);
                break;
            case 4:
                row[1] = string.Create(CultureInfo.InvariantCulture, $"{month.Start.Year}-{(rng.Chance(0.5) ? "13" : "00")}");
                row[2] = supervision;
                (column, reason) = ("period", K.BadPeriod);
                break;
            case 5:
                row[0] = UnknownTeamId(rng);
                row[2] = supervision;
                (column, reason) = ("team_id", K.UnknownTeam);
                break;
            default:
                var blank = rng.Pick<(int Index, string Name)>([(0, "team_id"), (1, "period"), (2, "kpi_code")]);
                row[2] = supervision;
                row[blank.Index] = null;
                (column, reason) = (blank.Name, K.BlankRequired);
                break;
        }
        context.Kpis.WriteRow(row);
        context.ExpectReject(context.Kpis, column, reason);
    }

    private void PlantAfterComplaint(string?[] clean, DateOnly received)
    {
        if (!_options.Dirty) return;
        var rng = DirtyRng(ref _dirtyComplaints, SampleStream.DirtyComplaints);
        var bad = rng.Chance(BadRowRate);
        var odd = rng.Chance(OddityRate);

        if (bad)
        {
            var row = (string?[])clean.Clone();
            row[0] = DirtyId("R");
            string column, reason;
            switch (rng.Next(7))
            {
                case 0:
                    row[1] = ComplaintVocabulary.Complaint;
                    row[4] = "4";
                    row[6] = row[5] is null ? null : row[6] ?? "not upheld";
                    (column, reason) = ("stage", K.InvalidStage);
                    break;
                case 1:
                    row[1] = ComplaintVocabulary.Compliment;
                    row[4] = rng.Chance(0.5) ? "1" : "2";
                    row[5] = row[6] = null;
                    row[7] = rng.Pick(ComplimentThemes);
                    (column, reason) = ("stage", K.StageOnNonComplaint);
                    break;
                case 2:
                    row[1] = ComplaintVocabulary.Complaint;
                    row[4] = "1";
                    row[5] = Uk(received.AddDays(-rng.Between(1, 10)));
                    row[6] = "not upheld";
                    (column, reason) = ("responded_date", K.RespondedBeforeReceived);
                    break;
                case 3:
                    row[3] = UsOrder(rng, received);
                    row[5] = row[6] = null;
                    (column, reason) = ("received_date", K.UsOrderDate);
                    break;
                case 4:
                    row[3] = ImpossibleDate(rng, received.Year, iso: false);
                    row[5] = row[6] = null;
                    (column, reason) = ("received_date", K.ImpossibleDate);
                    break;
                case 5:
                    var blank = rng.Pick<(int Index, string Name)>([(0, "record_id"), (1, "record_type"), (3, "received_date")]);
                    if (blank.Index != 0) row[4] = row[5] = row[6] = null;
                    row[blank.Index] = null;
                    (column, reason) = (blank.Name, K.BlankRequired);
                    break;
                default:
                    row[2] = UnknownTeamId(rng);
                    (column, reason) = ("team_id", K.UnknownTeam);
                    break;
            }
            context.Complaints.WriteRow(row);
            context.ExpectReject(context.Complaints, column, reason);
        }

        if (odd)
        {
            var row = (string?[])clean.Clone();
            row[0] = DirtyId("R");
            var (text, kind) = rng.Pick(OddThemes);
            row[7] = text;
            context.Complaints.WriteRow(row);
            context.ExpectOddity(context.Complaints, "theme", kind);
        }
    }

    /// <summary>The date written month first (mm/dd/yyyy) with a day above 12, so it cannot be read as dd/mm/yyyy.</summary>
    private static string UsOrder(Random rng, DateOnly date)
    {
        var day = date.Day > 12 ? date.Day : rng.Between(13, 28);
        return string.Create(CultureInfo.InvariantCulture, $"{date.Month:00}/{day:00}/{date.Year:0000}");
    }

    /// <summary>A day that does not exist: 30 February, 31 April/June/September/November, or 29 February in a common year.</summary>
    private static string ImpossibleDate(Random rng, int year, bool iso)
    {
        var options = new List<(int Month, int Day)> { (2, 30), (4, 31), (6, 31), (9, 31), (11, 31) };
        if (!DateTime.IsLeapYear(year)) options.Add((2, 29));
        var (month, day) = rng.Pick(options);
        return iso
            ? string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{day:00}/{month:00}/{year:0000}");
    }
}
