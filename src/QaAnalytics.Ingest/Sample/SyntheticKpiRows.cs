using DuckDB.NET.Data;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Bulk KPI rows for load tests of the service: single-team synthetic councils ('S000000', …), each
/// with 120 months (from April 2016) of every KPI in <c>dim_kpi</c>, added to a published snapshot
/// (opened read-write: a copy, never the live one) until there are at least the rows asked for.
/// Generated inside DuckDB, deterministic, and never from the sample generator's councils.
/// </summary>
public static class SyntheticKpiRows
{
    /// <summary>Adds at least <paramref name="rows"/> KPI rows to the snapshot file <paramref name="snapshotPath"/>, then checkpoints.</summary>
    public static void Add(string snapshotPath, int rows, string runId)
    {
        using var connection = SnapshotDatabase.OpenWritable(snapshotPath);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            CREATE TEMP TABLE k AS SELECT kpi_code, unit FROM dim_kpi;
            SET VARIABLE councils = ceil($rows / (120.0 * (SELECT count(*) FROM k)))::BIGINT;
            INSERT INTO dim_team (team_id, la_code, team_name, service_area, parent_team_id, run_id)
                SELECT 'S' || i, 'S' || lpad(i::VARCHAR, 6, '0'), 'Synthetic team ' || i, 'Synthetic', NULL, $run
                FROM range(getvariable('councils')) t(i);
            INSERT INTO fact_kpi (team_id, period, kpi_code, numerator, denominator, value, run_id, source_line, record_key)
            SELECT 'S' || t.i, (DATE '2016-04-01' + INTERVAL (m.j) MONTH)::DATE, k.kpi_code,
                   CASE WHEN k.unit = 'rate' THEN (hash(t.i, m.j, k.kpi_code) % 20)::BIGINT END,
                   CASE WHEN k.unit = 'rate' THEN 20 END,
                   CASE WHEN k.unit = 'rate' THEN NULL ELSE (hash(t.i, m.j, k.kpi_code) % 300) / 10.0 END,
                   $run, 0, hash(t.i, m.j, k.kpi_code, 'key') % 4294967296
            FROM range(getvariable('councils')) t(i), range(120) m(j), k;
            CHECKPOINT;
            """;
        cmd.Parameters.Add(new DuckDBParameter("rows", rows));
        cmd.Parameters.Add(new DuckDBParameter("run", runId));
        cmd.ExecuteNonQuery();
    }
}
