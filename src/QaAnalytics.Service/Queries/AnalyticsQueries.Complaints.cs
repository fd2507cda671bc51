using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly string[] ComplaintStages = ["stage_1", "stage_2", "stage_3", "stage_lgsco"];

    public Task<TableResult> ComplaintsAsync(ComplaintsRequest request, CancellationToken ct)
    {
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain);
        var keys = grouped.Keys.ToArray();
        var councilLevel = grouped.Org is ["la_code"];
        var sql = grouped.Fill(SqlText.Get("complaints.sql"))
            .Replace("{attributed}", councilLevel ? "" : "AND team_id IS NOT NULL", StringComparison.Ordinal);

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        var policy = call.Policy;
        var table = new ArrowTable()
            .Strings(keys)
            .Longs(["complaints"]).Longs(ComplaintStages).Longs(["compliments", "mp_enquiries"])
            .Longs(["stage_1_responded", "stage_1_on_time"]).Doubles(["stage_1_on_time_rate"])
            .Longs(["stage_2_responded", "stage_2_on_time"]).Doubles(["stage_2_on_time_rate"])
            .Booleans(["suppressed"]);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var row = new Dictionary<string, object?>();
            GroupedSql.CopyKeys(sqlRow, row, keys);
            var withheld = false;

            // The stages add up to the complaints; compliments and MP enquiries stand alone.
            var complaints = GroupedSql.Count(sqlRow, "complaints");
            var stages = ComplaintStages.Select(s => GroupedSql.Count(sqlRow, s)).ToArray();
            var (shownStages, shownComplaints) = policy.Apply(stages, complaints);
            row["complaints"] = shownComplaints;
            for (var i = 0; i < stages.Length; i++) row[ComplaintStages[i]] = shownStages[i];
            withheld |= shownComplaints is null || shownStages.Any(c => c is null);
            foreach (var single in new[] { "compliments", "mp_enquiries" })
            {
                var count = GroupedSql.Count(sqlRow, single);
                row[single] = policy.IsSmall(count) ? null : count;
                withheld |= policy.IsSmall(count);
            }

            // Within each stage: responded + unanswered = the stage's complaints; on time + late = responded.
            for (var stage = 1; stage <= 2; stage++)
            {
                var received = stages[stage - 1];
                var responded = GroupedSql.Count(sqlRow, $"stage_{stage}_responded");
                var onTime = GroupedSql.Count(sqlRow, $"stage_{stage}_on_time");
                var shownResponded = policy.ApplyWithin([responded, received - responded], received, shownStages[stage - 1] is not null);
                var shownOnTime = policy.ApplyWithin([onTime, responded - onTime], responded, shownResponded[0] is not null);
                row[$"stage_{stage}_responded"] = shownResponded[0];
                row[$"stage_{stage}_on_time"] = shownOnTime[0];
                row[$"stage_{stage}_on_time_rate"] = GroupedSql.Share(shownOnTime[0], shownResponded[0]);
                withheld |= shownResponded.Concat(shownOnTime).Any(c => c is null);
            }
            row["suppressed"] = withheld;
            table.Add(row);
        }

        var notes = policy.Notes(
            "Records count in the period they were received. stage_N_on_time_rate = responses within the statutory working days (stage 1: 10, stage 2: 25, from the day after receipt) / responses made; unanswered complaints are in neither.",
            "Records with no team count at council level only.");
        return Task.FromResult(new TableResult("complaints", snapshot, table.ToResult(notes)));
    }
}
