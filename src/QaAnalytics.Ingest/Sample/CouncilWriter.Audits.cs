using QaAnalytics.Models.Audits;
using static QaAnalytics.Ingest.Sample.CausalModel;

namespace QaAnalytics.Ingest.Sample;

internal sealed partial class CouncilWriter
{
    /// <summary>Original audits per council-month; re-audits of Inadequate ones come on top (≈ 50 in all).</summary>
    private const double OriginalAuditsPerMonth = 45;
    private const int ChildIdsPerCouncil = 40_000;

    private static readonly double[] AuditTypeWeights = [0.78, 0.14, 0.08];
    private static readonly string[] OriginalTypes = [AuditType.Case, AuditType.Collaborative, AuditType.Thematic];

    private sealed class AuditDraft
    {
        public required int Seq { get; init; }
        public required DateOnly Date { get; init; }
        public required SampleTeam Team { get; init; }
        public required string ChildId { get; init; }
        public required string Worker { get; init; }
        public required string Auditor { get; init; }
        public required string Type { get; init; }
        public required Grade Overall { get; init; }
        public required string OverallText { get; init; }
        public required string?[] Themes { get; init; }
        public required bool ChildVoice { get; init; }
        public required bool Concern { get; init; }
        public AuditDraft? ReauditOf { get; init; }
        public string? ModeratedText { get; set; }
        public string? Moderator { get; set; }
        public DateOnly? ModerationDate { get; set; }
        public string Id { get; set; } = "";

        /// <summary>Claimed by a returned audit request.</summary>
        public bool Linked { get; set; }
    }

    private readonly record struct Auditor(string Id, GradeSpelling.Style Habit, double Leniency);

    private List<AuditDraft> WriteAudits()
    {
        var rng = SampleRandom.Create(_options.Seed, SampleStream.Audits, council.Index);
        var teams = council.Teams;

        // Managers grade a little generously on average (the moderator does not): that is why
        // moderation downgrades more often than it upgrades.
        var managers = teams.Select(t => t.Managers
            .Select(id => new Auditor(id, GradeSpelling.DrawStyle(rng), rng.Normal(ManagerLeniencyMean, ManagerLeniencySd)))
            .ToArray()).ToArray();
        var qa = council.QaStaff
            .Select(id => new Auditor(id, rng.Chance(0.9) ? GradeSpelling.Style.Full : GradeSpelling.DrawStyle(rng), 0))
            .ToArray();

        var weights = teams.Select(t => t.AuditWeight).ToArray();
        var childBase = 1_000_000 + council.Index * ChildIdsPerCouncil;
        var audited = teams.Select(_ => new List<string>()).ToArray();
        var drafts = new List<AuditDraft>(context.Months.Length * 52);
        var seq = 0;

        foreach (var month in context.Months)
        {
            var thematicTheme = ThemeExtensions.All[rng.Next(ThemeExtensions.All.Count)];
            var count = rng.Poisson(OriginalAuditsPerMonth);
            for (var i = 0; i < count; i++)
            {
                var t = rng.PickWeighted(weights);
                var team = teams[t];
                var date = rng.Pick(month.WorkingDays);
                var type = OriginalTypes[rng.PickWeighted(AuditTypeWeights)];
                var q = team.Quality[month.Quarter];

                string child;
                if (audited[t].Count > 0 && rng.Chance(0.06))
                {
                    child = rng.Pick(audited[t]);
                }
                else
                {
                    child = $"C{childBase + rng.Next(ChildIdsPerCouncil)}";
                    audited[t].Add(child);
                }

                var auditor = rng.Chance(0.85) ? managers[t][rng.Next(2)] : qa[rng.Next(qa.Length)];
                var e = rng.Normal(0, AuditNoiseSd);
                var u = q + e;
                var overall = Cut(u + auditor.Leniency);

                var themes = new string?[ThemeExtensions.All.Count];
                foreach (var theme in ThemeExtensions.All)
                {
                    var graded = type == AuditType.Thematic ? theme == thematicTheme : !rng.Chance(0.03);
                    if (!graded) continue;
                    var z = team.ComplianceDeviation[month.Index, (int)PairedKpi(theme)];
                    var uk = q + ThemeShared * e + ThemeKpi * z + rng.Normal(0, ThemeNoiseSd);
                    themes[(int)theme] = GradeSpelling.Spell(rng, Cut(uk + auditor.Leniency), auditor.Habit);
                }

                var draft = new AuditDraft
                {
                    Seq = seq++,
                    Date = date,
                    Team = team,
                    ChildId = child,
                    Worker = rng.Pick(team.WorkerIds),
                    Auditor = auditor.Id,
                    Type = type,
                    Overall = overall,
                    OverallText = GradeSpelling.Spell(rng, overall, auditor.Habit),
                    Themes = themes,
                    ChildVoice = rng.Chance(SampleRandom.Logistic(0.9 + 0.9 * u)),
                    Concern = rng.Chance(overall == Grade.Inadequate ? 0.22 : 0.015),
                };
                Moderate(rng, draft, u, qa);
                drafts.Add(draft);

                if (overall == Grade.Inadequate && rng.Chance(0.8))
                {
                    var reaudit = Reaudit(rng, draft, auditor, qa, ref seq);
                    if (reaudit is not null) drafts.Add(reaudit);
                }
            }
        }

        drafts.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : a.Seq.CompareTo(b.Seq));
        for (var i = 0; i < drafts.Count; i++) drafts[i].Id = $"{council.LaCode}-A{i + 1:000000}";

        _auditPlanter = NewPlanter(SampleStream.DirtyAudits, drafts.Count, AuditKinds);
        var fields = new string?[context.Audits.Columns.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            fields[0] = d.Id;
            fields[1] = d.ChildId;
            fields[2] = d.Team.TeamId;
            fields[3] = d.Worker;
            fields[4] = d.Auditor;
            fields[5] = d.Type;
            fields[6] = Iso(d.Date);
            fields[7] = d.OverallText;
            fields[8] = d.ModeratedText;
            fields[9] = d.Moderator;
            fields[10] = d.ModerationDate is { } md ? Iso(md) : null;
            for (var k = 0; k < d.Themes.Length; k++) fields[11 + k] = d.Themes[k];
            fields[16] = YesNo(d.ChildVoice);
            fields[17] = YesNo(d.Concern);
            fields[18] = d.ReauditOf?.Id;
            context.Audits.WriteRow(fields);
            PlantAfterAudit(fields, d.Date, i);
        }
        return drafts;
    }

    /// <summary>About a fifth of audits are moderated by a QA colleague 1–20 working days later, unless that is after the data ends.</summary>
    private void Moderate(Random rng, AuditDraft draft, double u, Auditor[] qa)
    {
        if (!rng.Chance(ModeratedShare)) return;
        var date = _calendar.AddWorkingDays(draft.Date, rng.Between(1, 20));
        var moderator = qa[rng.Next(qa.Length)];
        if (moderator.Id == draft.Auditor) moderator = qa[(Array.IndexOf(qa, moderator) + 1) % qa.Length];
        var grade = Cut(u + rng.Normal(0, ModeratorNoiseSd));
        var text = GradeSpelling.Spell(rng, grade, moderator.Habit);
        if (date > context.Last) return;
        draft.ModeratedText = text;
        draft.Moderator = moderator.Id;
        draft.ModerationDate = date;
    }

    /// <summary>
    /// Inadequate audits are re-audited about six weeks (28–32 working days) later; most have moved
    /// to RI. Returns null when the re-audit would fall after the data ends.
    /// </summary>
    private AuditDraft? Reaudit(Random rng, AuditDraft original, Auditor auditor, Auditor[] qa, ref int seq)
    {
        var date = _calendar.AddWorkingDays(original.Date, rng.Between(28, 32));
        var grade = rng.PickWeighted([0.16, 0.68, 0.16]) switch
        {
            0 => Grade.Good,
            1 => Grade.RequiresImprovement,
            _ => Grade.Inadequate,
        };
        var reauditor = rng.Chance(0.7) ? auditor : qa[rng.Next(qa.Length)];
        if (date > context.Last) return null;

        var month = context.Months[(date.Year - context.First.Year) * 12 + date.Month - context.First.Month];
        var u = Typical(grade);
        var themes = new string?[ThemeExtensions.All.Count];
        foreach (var theme in ThemeExtensions.All)
        {
            var z = original.Team.ComplianceDeviation[month.Index, (int)PairedKpi(theme)];
            themes[(int)theme] = GradeSpelling.Spell(rng, Cut(u + ThemeKpi * z + rng.Normal(0, ThemeNoiseSd)), reauditor.Habit);
        }
        var draft = new AuditDraft
        {
            Seq = seq++,
            Date = date,
            Team = original.Team,
            ChildId = original.ChildId,
            Worker = original.Worker,
            Auditor = reauditor.Id,
            Type = AuditType.ReAudit,
            Overall = grade,
            OverallText = GradeSpelling.Spell(rng, grade, reauditor.Habit),
            Themes = themes,
            ChildVoice = rng.Chance(SampleRandom.Logistic(0.9 + 0.9 * u)),
            Concern = rng.Chance(grade == Grade.Inadequate ? 0.22 : 0.015),
            ReauditOf = original,
        };
        Moderate(rng, draft, u, qa);
        return draft;
    }

    /// <summary>The earliest audit in [from, to] not yet claimed by a request; <paramref name="audits"/> is in date order.</summary>
    private static AuditDraft? FirstUnlinked(List<AuditDraft> audits, DateOnly from, DateOnly to)
    {
        int lo = 0, hi = audits.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (audits[mid].Date < from) lo = mid + 1;
            else hi = mid;
        }
        for (var i = lo; i < audits.Count && audits[i].Date <= to; i++)
        {
            if (!audits[i].Linked) return audits[i];
        }
        return null;
    }

    private void WriteRequests(List<AuditDraft> audits)
    {
        var rng = SampleRandom.Create(_options.Seed, SampleStream.Requests, council.Index);
        var teams = council.Teams;
        var totalWeight = teams.Sum(t => t.AuditWeight);
        var linkable = teams
            .Select(t => audits.Where(a => a.Team == t && a.Type is AuditType.Case or AuditType.Collaborative).ToList())
            .ToArray();

        var requests = new List<(int Seq, SampleTeam Team, string Manager, DateOnly Sent, DateOnly? Returned, string? AuditId)>();
        foreach (var month in context.Months)
        {
            for (var t = 0; t < teams.Count; t++)
            {
                var team = teams[t];
                // Roughly 1.6 requests per case audit the team completes, so most case audits answer a request.
                var lambda = Math.Max(2.0, 1.6 * OriginalAuditsPerMonth * 0.92 * team.AuditWeight / totalWeight);
                var returnRate = Math.Clamp(team.ReturnRate - 0.08 * team.MonthPressure[month.Index], 0.15, 0.82);
                var count = rng.Poisson(lambda);
                for (var i = 0; i < count; i++)
                {
                    var sent = rng.Pick(month.WorkingDays);
                    var manager = rng.Pick(team.Managers);
                    DateOnly? returned = null;
                    string? auditId = null;
                    if (rng.Chance(returnRate))
                    {
                        var latest = _calendar.AddWorkingDays(sent, 40);
                        var audit = FirstUnlinked(linkable[t], sent, latest);
                        var fallback = _calendar.AddWorkingDays(sent, rng.Between(3, 35));
                        if (audit is not null)
                        {
                            audit.Linked = true;
                            returned = audit.Date;
                            auditId = audit.Id;
                        }
                        else if (fallback <= context.Last)
                        {
                            returned = fallback;
                        }
                    }
                    requests.Add((requests.Count, team, manager, sent, returned, auditId));
                }
            }
        }

        requests.Sort((a, b) => a.Sent != b.Sent ? a.Sent.CompareTo(b.Sent) : a.Seq.CompareTo(b.Seq));
        _requestPlanter = NewPlanter(SampleStream.DirtyRequests, requests.Count, RequestKinds);
        var fields = new string?[context.Requests.Columns.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            fields[0] = $"{council.LaCode}-Q{i + 1:000000}";
            fields[1] = r.Team.TeamId;
            fields[2] = r.Manager;
            fields[3] = Iso(r.Sent);
            fields[4] = Iso(_calendar.AddWorkingDays(r.Sent, 20));
            fields[5] = r.Returned is { } returned ? Iso(returned) : null;
            fields[6] = r.AuditId;
            context.Requests.WriteRow(fields);
            PlantAfterRequest(fields, r.Sent, i);
        }
    }
}
