using System.Globalization;
using QaAnalytics.Models.Complaints;
using K = QaAnalytics.Ingest.Sample.PlantedRejectKind;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Dirty mode. After some clean rows an extra row is written that carries exactly one fault a
/// loader must reject (recorded in truth/expected_rejects.csv), or, for complaints, an awkward
/// value it must accept (truth/expected_oddities.csv). The clean rows are
/// the clean run's rows, untouched: the dirty draws come from their own random streams.
/// </summary>
internal sealed partial class CouncilWriter
{
    /// <summary>Chance of a planted bad row after a clean row, on top of the spread-out ones (see <see cref="Planter"/>).</summary>
    private const double BadRowRate = 0.005;

    private const double OddityRate = 0.001;

    private const int DirtyIdBase = 900_000;

    private const int AuditKinds = 7;
    private const int RequestKinds = 5;
    private const int KpiKinds = 7;
    private const int ComplaintKinds = 7;

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

    private Planter? _auditPlanter;
    private Planter? _requestPlanter;
    private Planter? _kpiPlanter;
    private Planter? _complaintPlanter;
    private int _dirtySeq;

    /// <summary>
    /// Decides which clean rows get a bad row after them. Each kind is planted once per council and
    /// file at a random row of its own stretch of the file (so even a one-council, one-year run shows
    /// every kind), and any row may also get one with probability <see cref="BadRowRate"/>.
    /// </summary>
    private sealed class Planter
    {
        private readonly int[] _forced;
        private readonly int[] _forcedOddities;
        private readonly int _kinds;
        private readonly int _oddities;

        public Planter(Random rng, int rows, int kinds, int oddities)
        {
            Rng = rng;
            _kinds = kinds;
            _oddities = oddities;
            _forced = Spread(rng, rows, kinds);
            _forcedOddities = Spread(rng, rows, oddities);
        }

        public Random Rng { get; }

        /// <summary>The kind of bad row to write after clean row <paramref name="row"/> (0-based), or −1.</summary>
        public int KindAfter(int row)
        {
            if (row < _forced.Length && _forced[row] >= 0) return _forced[row];
            return Rng.Chance(BadRowRate) ? Rng.Next(_kinds) : -1;
        }

        /// <summary>The awkward value to add after clean row <paramref name="row"/>, or −1.</summary>
        public int OddityAfter(int row)
        {
            if (_oddities == 0) return -1;
            if (row < _forcedOddities.Length && _forcedOddities[row] >= 0) return _forcedOddities[row];
            return Rng.Chance(OddityRate) ? Rng.Next(_oddities) : -1;
        }

        /// <summary>Kind k at a random row of the k-th of <paramref name="kinds"/> equal stretches.</summary>
        private static int[] Spread(Random rng, int rows, int kinds)
        {
            var at = new int[Math.Max(rows, 0)];
            Array.Fill(at, -1);
            for (var k = 0; k < kinds && rows > 0; k++)
            {
                var i = Math.Min(rows - 1, (int)((k + rng.NextDouble()) * rows / kinds));
                if (at[i] < 0) at[i] = k;
            }
            return at;
        }
    }

    private Planter? NewPlanter(SampleStream stream, int rows, int kinds, int oddities = 0) =>
        _options.Dirty ? new Planter(SampleRandom.Create(_options.Seed, stream, council.Index), rows, kinds, oddities) : null;

    private string DirtyId(string prefix) => $"{council.LaCode}-{prefix}{DirtyIdBase + ++_dirtySeq:000000}";

    private string UnknownTeamId(Random rng) => $"{council.LaCode}-T{rng.Between(90, 99)}";

    private void PlantAfterAudit(string?[] clean, DateOnly date, int index)
    {
        if (_auditPlanter is null) return;
        var kind = _auditPlanter.KindAfter(index);
        if (kind < 0) return;
        var rng = _auditPlanter.Rng;
        var row = (string?[])clean.Clone();
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

    private void PlantAfterRequest(string?[] clean, DateOnly sent, int index)
    {
        if (_requestPlanter is null) return;
        var kind = _requestPlanter.KindAfter(index);
        if (kind < 0) return;
        var rng = _requestPlanter.Rng;
        var row = (string?[])clean.Clone();
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
    private void PlantAfterKpi(SampleTeam team, SampleMonth month, int index)
    {
        if (_kpiPlanter is null) return;
        var kind = _kpiPlanter.KindAfter(index);
        if (kind < 0) return;
        var rng = _kpiPlanter.Rng;

        var unreported = KpiOrder.Where(k => !team.Reports(k)).ToArray();
        var denominator = rng.Between(5, 40);
        string?[] row =
        [
            team.TeamId, month.Period, ComplianceCodes[(int)rng.Pick(unreported)],
            Int(rng.Between(0, denominator)), Int(denominator), null,
        ];
        var supervision = ComplianceCodes[(int)ComplianceKpi.Supervision];
        string column, reason;
        switch (kind)
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

    private void PlantAfterComplaint(string?[] clean, DateOnly received, int index)
    {
        if (_complaintPlanter is null) return;
        var kind = _complaintPlanter.KindAfter(index);
        var rng = _complaintPlanter.Rng;
        var odd = _complaintPlanter.OddityAfter(index);

        if (kind >= 0)
        {
            var row = (string?[])clean.Clone();
            row[0] = DirtyId("R");
            string column, reason;
            switch (kind)
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

        if (odd >= 0)
        {
            var row = (string?[])clean.Clone();
            row[0] = DirtyId("R");
            var (text, oddity) = OddThemes[odd];
            row[7] = text;
            context.Complaints.WriteRow(row);
            context.ExpectOddity(context.Complaints, "theme", oddity);
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
