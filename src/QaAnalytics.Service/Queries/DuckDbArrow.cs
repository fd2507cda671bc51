using Apache.Arrow;
using DuckDB.NET.Data;

namespace QaAnalytics.Service.Queries;

/// <summary>Runs SQL on a snapshot and takes the result as Arrow straight from DuckDB.</summary>
public static class DuckDbArrow
{
    /// <summary>
    /// Executes <paramref name="sql"/> with named parameters and returns its Arrow IPC stream.
    /// DuckDB hands over batches of about 2,048 rows; they are coalesced into batches of up to
    /// <see cref="BatchRows"/> rows so a client decodes few, large batches.
    /// </summary>
    public static async Task<ArrowResult> QueryAsync(DuckDBConnection connection, string sql,
        IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<string> notes, CancellationToken ct)
    {
        var (schema, batches) = await ReadAsync(connection, sql, parameters, ct);
        return ArrowResult.From(schema, batches, notes);
    }

    /// <summary>Executes <paramref name="sql"/> and returns its record batches, coalesced to up to <see cref="BatchRows"/> rows.</summary>
    public static async Task<(Schema Schema, List<RecordBatch> Batches)> ReadAsync(DuckDBConnection connection, string sql,
        IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        using var stream = cmd.ExecuteArrowStream();
        var schema = stream.Schema;
        var batches = new List<RecordBatch>();
        var pending = new List<RecordBatch>();
        var pendingRows = 0;
        while (await stream.ReadNextRecordBatchAsync(ct) is { } batch)
        {
            pending.Add(batch);
            pendingRows += batch.Length;
            if (pendingRows >= BatchRows) Flush();
        }
        Flush();
        return (schema, batches);

        void Flush()
        {
            if (pending.Count == 0) return;
            if (pending.Count == 1)
            {
                batches.Add(pending[0]);
            }
            else
            {
                var columns = Enumerable.Range(0, schema.FieldsList.Count)
                    .Select(c => ArrowArrayConcatenator.Concatenate(pending.Select(b => b.Column(c)).ToList()))
                    .ToList();
                batches.Add(new RecordBatch(schema, columns, pendingRows));
                foreach (var b in pending) b.Dispose();
            }
            pending.Clear();
            pendingRows = 0;
        }
    }

    /// <summary>Rows per coalesced batch.</summary>
    public const int BatchRows = 64 * 1024;
}
