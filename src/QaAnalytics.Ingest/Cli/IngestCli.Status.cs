using System.CommandLine;
using DuckDB.NET.Data;
using QaAnalytics.Models.Storage;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static Command StatusCommand()
    {
        var runs = new Option<int>("--runs") { Description = "How many recent runs to list", DefaultValueFactory = _ => 5 };
        var command = new Command("status", "Show the published snapshot: runs, row counts and rejects by reason") { DbOption, runs };
        command.SetAction(parse => PrintStatus(parse.GetValue(DbOption)!, parse.GetValue(runs)));
        return command;
    }

    private const int RejectReasonsShown = 30;

    internal static int PrintStatus(string dbPath, int runs) => Guarded("status", () =>
    {
        if (!File.Exists(dbPath))
        {
            return Fail(ExitCodes.InputRefused, $"There is no database at {dbPath} yet; run qa-ingest load first.");
        }
        using var snapshot = ReadOnlySnapshot.Open(dbPath);
        var connection = snapshot.Connection;
        AnsiConsole.MarkupLineInterpolated($"[bold]{dbPath}[/] → {snapshot.File}");
        Show(connection, "Snapshot", "SELECT snapshot_id, schema_version, created_at, pseudonym_key FROM snapshot_info");
        // risk_flags exists once `qa-ingest model score` has published a snapshot.
        var scored = connection.HasTable("risk_flags");
        Show(connection, "Rows", $"""
            SELECT 'dim_team' AS "table", count(*) AS "rows" FROM dim_team UNION ALL
            SELECT 'fact_audit', count(*) FROM fact_audit UNION ALL
            SELECT 'fact_audit_request', count(*) FROM fact_audit_request UNION ALL
            SELECT 'fact_kpi', count(*) FROM fact_kpi UNION ALL
            SELECT 'fact_complaint', count(*) FROM fact_complaint UNION ALL
            SELECT 'ingest_rejects', count(*) FROM ingest_rejects
            {(scored ? "UNION ALL SELECT 'risk_flags', count(*) FROM risk_flags" : "")}
            """);
        Show(connection, "Recent runs", $"""
            SELECT run_id, status, files, rows_read AS "read", rows_accepted AS accepted, rows_rejected AS rejected, ended_at
            FROM v_ingest_run_summary ORDER BY run_id DESC LIMIT {Math.Max(1, runs)}
            """);
        // The latest *data* load: a model score run (file kind risk_model) loads no extract and rejects nothing.
        const string LatestDataLoad = "(SELECT max(run_id) FROM ingest_runs WHERE file_kind <> 'risk_model')";
        Show(connection, "Files in the latest data load", $"""
            SELECT file_name, status, encoding, rows_read AS "read", rows_accepted AS accepted, rows_rejected AS rejected, rows_new AS "new", rows_replaced AS replaced
            FROM ingest_runs WHERE run_id = {LatestDataLoad} ORDER BY started_at, file_name
            """);
        Show(connection, "Rejects in the latest data load, by reason (first value, cut at 40 characters)", $"""
            SELECT file_name AS file, column_name AS "column", reason_kind AS reason, first_value AS "first value", rejects, first_line
            FROM v_rejects_by_reason WHERE run_id = {LatestDataLoad}
            ORDER BY rejects DESC, file_name LIMIT {RejectReasonsShown}
            """);
        var kinds = connection.Scalar<long>($"SELECT count(*) FROM v_rejects_by_reason WHERE run_id = {LatestDataLoad}");
        if (kinds > RejectReasonsShown)
        {
            AnsiConsole.MarkupLineInterpolated($"  and {kinds - RejectReasonsShown:N0} more reasons: qa-ingest rejects --db {dbPath} --out rejects.xlsx exports every rejected row.");
        }
        return ExitCodes.Ok;
    });

    private static void Show(DuckDBConnection connection, string title, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var table = new Table { Title = new TableTitle(title) };
        for (var i = 0; i < reader.FieldCount; i++) table.AddColumn(Markup.Escape(reader.GetName(i)));
        var any = false;
        while (reader.Read())
        {
            any = true;
            table.AddRow(Enumerable.Range(0, reader.FieldCount)
                .Select(i => Markup.Escape(Text(reader.IsDBNull(i) ? null : reader.GetValue(i))))
                .ToArray());
        }
        if (any) AnsiConsole.Write(table);
        else AnsiConsole.MarkupLineInterpolated($"{title}: none");
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
