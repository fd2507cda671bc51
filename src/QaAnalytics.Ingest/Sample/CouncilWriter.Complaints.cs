using QaAnalytics.Models.Complaints;

namespace QaAnalytics.Ingest.Sample;

internal sealed partial class CouncilWriter
{
    private const double RecordsPerMonth = 25;

    /// <summary>complaint, mp_enquiry, compliment (West Sussex: 153, 31, 48 in six months).</summary>
    private static readonly double[] RecordTypeWeights = [0.65, 0.14, 0.21];
    private static readonly string[] RecordTypes = [ComplaintVocabulary.Complaint, ComplaintVocabulary.MpEnquiry, ComplaintVocabulary.Compliment];

    private static readonly double[] StageWeights = [0.86, 0.10, 0.025, 0.015];
    private static readonly double[] OutcomeWeights = [0.18, 0.30, 0.44, 0.08];

    private static readonly string[] ComplaintThemes =
    [
        "Communication", "Delay", "Contact arrangements", "Quality of assessment", "Attitude of staff",
        "Change of social worker", "Disagreement with decision", "Information sharing", "Placement",
        "Financial support", "Leaving care support",
    ];

    private static readonly double[] ComplaintThemeWeights = [0.22, 0.14, 0.10, 0.10, 0.08, 0.08, 0.10, 0.06, 0.06, 0.03, 0.03];

    private static readonly string[] ComplimentThemes =
    [
        "Support from social worker", "Communication", "Going the extra mile", "Listening to the child", "Partnership working",
    ];

    private void WriteComplaints()
    {
        var rng = SampleRandom.Create(_options.Seed, SampleStream.Complaints, council.Index);
        var teams = council.Teams;
        var complaintWeights = new double[teams.Count];
        var complimentWeights = new double[teams.Count];
        var records = new List<(int Seq, string Type, SampleTeam? Team, DateOnly Received, string? Stage, DateOnly? Responded, string? Outcome, string Theme)>();

        foreach (var month in context.Months)
        {
            // Complaints lean towards teams whose practice is weaker or under pressure; compliments the other way.
            for (var t = 0; t < teams.Count; t++)
            {
                var team = teams[t];
                var size = team.Workers * (team.ServiceArea == ServiceArea.Mash ? 0.5 : 1.0);
                var q = team.Quality[month.Quarter];
                complaintWeights[t] = size * Math.Exp(-0.8 * q + 0.3 * team.MonthPressure[month.Index]);
                complimentWeights[t] = size * Math.Exp(0.8 * q);
            }

            var count = rng.Poisson(RecordsPerMonth);
            for (var i = 0; i < count; i++)
            {
                var type = RecordTypes[rng.PickWeighted(RecordTypeWeights)];
                var isCompliment = type == ComplaintVocabulary.Compliment;
                var team = rng.Chance(0.05) ? null : teams[rng.PickWeighted(isCompliment ? complimentWeights : complaintWeights)];
                var received = rng.Chance(0.95)
                    ? rng.Pick(month.WorkingDays)
                    : month.Start.AddDays(rng.Next(DateTime.DaysInMonth(month.Start.Year, month.Start.Month)));

                string? stage = null;
                int? workingDays = null;
                if (type == ComplaintVocabulary.Complaint)
                {
                    var s = ComplaintStage.All[rng.PickWeighted(StageWeights)];
                    stage = s.Code;
                    workingDays = s.Code switch
                    {
                        "1" => rng.Chance(council.Stage1OnTime) ? rng.Between(2, 10) : rng.Between(11, 30),
                        "2" => rng.Chance(council.Stage2OnTime) ? rng.Between(10, 25) : rng.Between(26, 65),
                        "3" => rng.Chance(0.75) ? rng.Between(15, 30) : rng.Between(31, 50),
                        _ => rng.Between(40, 150),
                    };
                }
                else if (type == ComplaintVocabulary.MpEnquiry)
                {
                    workingDays = rng.Chance(0.8) ? rng.Between(3, 20) : rng.Between(21, 40);
                }

                DateOnly? responded = workingDays is { } wd ? _calendar.AddWorkingDays(received, wd) : null;
                if (responded > context.Last) responded = null;   // still open at the extract date
                var outcome = type == ComplaintVocabulary.Complaint && responded is not null
                    ? ComplaintVocabulary.Outcomes[rng.PickWeighted(OutcomeWeights)]
                    : null;
                var theme = isCompliment
                    ? rng.Pick(ComplimentThemes)
                    : ComplaintThemes[rng.PickWeighted(ComplaintThemeWeights)];
                records.Add((records.Count, type, team, received, stage, responded, outcome, theme));
            }
        }

        records.Sort((a, b) => a.Received != b.Received ? a.Received.CompareTo(b.Received) : a.Seq.CompareTo(b.Seq));
        _complaintPlanter = NewPlanter(SampleStream.DirtyComplaints, records.Count, ComplaintKinds, OddThemes.Length);
        var fields = new string?[context.Complaints.Columns.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            fields[0] = $"{council.LaCode}-R{i + 1:000000}";
            fields[1] = r.Type;
            fields[2] = r.Team?.TeamId;
            fields[3] = Uk(r.Received);
            fields[4] = r.Stage;
            fields[5] = r.Responded is { } responded ? Uk(responded) : null;
            fields[6] = r.Outcome;
            fields[7] = r.Theme;
            fields[8] = council.LaCode;  // the council, so a record with no team still counts for it
            context.Complaints.WriteRow(fields);
            PlantAfterComplaint(fields, r.Received, i);
        }
    }
}
