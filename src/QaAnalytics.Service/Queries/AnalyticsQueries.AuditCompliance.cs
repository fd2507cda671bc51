using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    public Task<TableResult> AuditComplianceAsync(AuditComplianceRequest request, CancellationToken ct)
    {
        var grouped = GroupedSql.From(request.Scope, request.Period, request.GroupBy, request.Grain);
        var keys = grouped.Keys.ToArray();
        var sql = grouped.Fill(SqlText.Get("audit_compliance.sql"));

        using var call = Begin(request.Scope);
        var (snapshot, connection) = (call.Snapshot, call.Connection);
        var policy = call.Policy;
        var table = new ArrowTable()
            .Strings(keys)
            .Longs(["sent", "returned", "with_due_date", "returned_by_due"])
            .Doubles(["return_rate", "on_time_return_rate"])
            .Booleans(["suppressed"]);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var sent = GroupedSql.Count(sqlRow, "sent");
            var returned = GroupedSql.Count(sqlRow, "returned");
            var withDue = GroupedSql.Count(sqlRow, "with_due_date");
            var byDue = GroupedSql.Count(sqlRow, "returned_by_due");
            // Groups that add up to a shown figure: returned + not returned = sent; with + without a
            // due date = sent; returned by due + not = with a due date.
            var (returnedSplit, shownSent) = policy.Apply([returned, sent - returned], sent);
            var (dueSplit, _) = policy.Apply([withDue, sent - withDue], sent);
            var byDueSplit = policy.ApplyWithin([byDue, withDue - byDue], withDue, dueSplit[0] is not null);

            var row = new Dictionary<string, object?>();
            GroupedSql.CopyKeys(sqlRow, row, keys);
            row["sent"] = shownSent;
            row["returned"] = returnedSplit[0];
            row["with_due_date"] = dueSplit[0];
            row["returned_by_due"] = byDueSplit[0];
            row["return_rate"] = GroupedSql.Share(returnedSplit[0], shownSent);
            row["on_time_return_rate"] = GroupedSql.Share(byDueSplit[0], dueSplit[0]);
            row["suppressed"] = shownSent is null || returnedSplit.Concat(dueSplit).Concat(byDueSplit).Any(c => c is null);
            table.Add(row);
        }

        var notes = policy.Notes(
            "Requests count in the period they were sent. return_rate = returned / sent; on_time_return_rate = returned_by_due / with_due_date (requests without a due date are left out of it); both from unrounded counts.",
            "A request not yet returned counts as not returned, even where its due date has not passed, so the latest period can look low.");
        return Task.FromResult(new TableResult("audit_compliance", snapshot, table.ToResult(notes)));
    }
}
