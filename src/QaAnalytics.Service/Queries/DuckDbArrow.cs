using Apache.Arrow;
using DuckDB.NET.Data;

namespace QaAnalytics.Service.Queries;

/// <summary>Runs SQL on a snapshot and takes the result as Arrow straight from DuckDB.</summary>
public static class DuckDbArrow
{
    /// <summary>
    /// Executes <paramref name="sql"/> with named parameters and returns its Arrow IPC stream.
    /// DuckDB hands over batches of about 2,048 rows; they are written as they come.
    /// </summary>
    public static async Task<ArrowResult> QueryAsync(DuckDBConnection connection, string sql,
        IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<string> notes, CancellationToken ct)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        using var stream = cmd.ExecuteArrowStream();
        var schema = stream.Schema;
        var batches = new List<RecordBatch>();
        while (await stream.ReadNextRecordBatchAsync(ct) is { } batch)
        {
            batches.Add(batch);
        }
        return ArrowResult.From(schema, batches, notes);
    }
}
