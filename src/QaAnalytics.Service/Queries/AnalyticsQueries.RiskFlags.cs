using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Service.Sql;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    private static readonly string[] Bands = ["high", "watch", "low"];

    /// <summary>Flags are per team: a regional partner (council level only) is refused, every other role gets the teams it may see.</summary>
    public Task<TableResult> RiskFlagsAsync(RiskFlagsRequest request, Caller caller, CancellationToken ct)
    {
        using var call = Begin(caller, new AccessRequest(request.Scope, OrgLevel.Team, OrgLevel.Team));
        var grouped = GroupedSql.From(call.Access.Scope, request.Period, OrgLevel.Team, PeriodGrain.FinancialQuarter);
        RequestLimits.CheckList("bands", request.Bands);
        var bands = new List<string>();
        foreach (var band in request.Bands.Where(b => !string.IsNullOrWhiteSpace(b)).Select(b => b.Trim().ToLowerInvariant()).Distinct())
        {
            if (!Bands.Contains(band)) throw new BadArgumentException("bands", $"'{band}' is not a band: use high, watch or low");
            grouped.Parameters["band_" + bands.Count] = band;
            bands.Add("$band_" + bands.Count);
        }
        var sql = grouped.Fill(SqlText.Get("risk_flags.sql"))
            .Replace("{bands}", bands.Count == 0 ? "" : $"AND band IN ({string.Join(", ", bands)})", StringComparison.Ordinal);

        var (snapshot, connection, policy) = (call.Snapshot, call.Connection, call.Policy);
        if (!HasTable(connection, "risk_flags"))
        {
            // NotFound at the edge, saying what to run.
            throw new NotFoundException($"Snapshot {snapshot.Id} has no risk flags: run qa-ingest model score (after qa-ingest model train) to publish them.");
        }
        var table = new ArrowTable()
            .Strings(["la_code", "service_area", "team_id", "team_name", "period"])
            .Doubles(["probability"])
            .Strings(["band", "reason_1", "reason_2", "reason_3", "reason_features", "drivers_pressure", "drivers_history"])
            .Longs(["audits"])
            .Booleans(["in_training_window"])
            .Strings(["model_version", "scored_snapshot_id"])
            .Booleans(["suppressed"]);
        var runs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sqlRow in grouped.Read(connection, sql, ct))
        {
            var row = sqlRow.Where(c => c.Key is not ("run_id" or "audits")).ToDictionary(c => c.Key, c => c.Value is DateTime or DateOnly ? c.Value.ToString() : c.Value);
            var audits = GroupedSql.Count(sqlRow, "audits");
            row["audits"] = policy.IsSmall(audits) ? null : audits;
            row["suppressed"] = policy.IsSmall(audits);
            runs.Add((string)sqlRow["run_id"]!);
            table.Add(row);
        }
        var notes = new List<string>
        {
            // The verdict first: where there is no evidence, the reader must know before any flag.
            "Verdict of the backtest: " + Verdict(connection),
            "probability = the model's calibrated probability that the team's practice quality declines over the next two quarters (label and metrics: the catalogue's risk_model table); band high / watch / low from multiples of the training base rate.",
            "drivers_pressure = reasons from the pressure, compliance and complaints signals; drivers_history = reasons from the grade history, which the grades-only baseline also sees.",
            "A flag is a prompt for a conversation with the team, never an automatic decision about a team, a worker or a child.",
            "Quarters with in_training_window = true were seen in training and look better than they are; the backtest in risk_model is the honest measure.",
        };
        if (runs.Count > 0 && !runs.Contains(snapshot.Id))
        {
            notes.Add($"These flags were scored before the data was last reloaded (snapshot {snapshot.Id}): run qa-ingest model score for flags on the current data.");
        }
        return Task.FromResult(new TableResult("risk_flags", snapshot, table.ToResult(policy.Notes([.. notes]))) { Access = call.Access.ToString() });
    }

    private static string Verdict(DuckDBConnection connection)
    {
        if (!HasTable(connection, "risk_model")) return "unknown: the snapshot has no risk_model table.";
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT verdict FROM risk_model LIMIT 1";
        return cmd.ExecuteScalar() as string ?? "unknown: the risk_model table is empty.";
    }

    /// <summary>The model's metrics for the catalogue, or null when the snapshot has no model yet.</summary>
    private static async Task<ArrowResult?> RiskModelAsync(DuckDBConnection connection, CancellationToken ct) =>
        HasTable(connection, "risk_model")
            ? await DuckDbArrow.QueryAsync(connection,
                "SELECT model_version, CAST(trained_at AS VARCHAR) AS trained_at, training_from, training_to, training_rows, label_definition, base_rate, band_high, band_watch, backtest_quarters, backtest_rows, model_roc_auc, model_pr_auc, model_precision, model_recall, model_brier, baseline_roc_auc, baseline_pr_auc, baseline_precision, baseline_recall, baseline_brier, margin_pr_auc, margin_pr_auc_lower, margin_pr_auc_upper, margin_roc_auc, margin_roc_auc_lower, margin_roc_auc_upper, bootstrap_resamples, calibrator, bands_widened, beats_baseline, verdict, scored_snapshot_id, CAST(scored_at AS VARCHAR) AS scored_at FROM risk_model",
                new Dictionary<string, object?>(), ["The team risk model's backtest (rolling origin, quarters it never saw) against the grades-only baseline; margin_* = model minus baseline with 95% team-clustered bootstrap intervals; beats_baseline only when both lower bounds are above zero; precision and recall at the high band."], ct)
            : null;

    private static bool HasTable(DuckDBConnection connection, string table)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name = $t";
        cmd.Parameters.Add(new DuckDBParameter("t", table));
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
