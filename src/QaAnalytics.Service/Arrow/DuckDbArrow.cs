using System.Diagnostics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Arrow;

/// <summary>Runs SQL on a snapshot and takes the result as Arrow straight from DuckDB.</summary>
public static class DuckDbArrow
{
    /// <summary>Rows per coalesced batch.</summary>
    public const int BatchRows = 64 * 1024;

    /// <summary>
    /// One activity per query DuckDB runs for a call (<c>duckdb.query</c>, tagged <c>db.system</c> and
    /// <c>db.name</c>), from execution until its batches are released; its status is
    /// <see cref="ActivityStatusCode.Error"/> with description <see cref="Interrupted"/> when a
    /// cancelled call or a deadline interrupted DuckDB.
    /// </summary>
    public static readonly ActivitySource Telemetry = new(TelemetryName);

    /// <summary>The name of <see cref="Telemetry"/>, for listeners.</summary>
    public const string TelemetryName = "QaAnalytics.DuckDb";

    /// <summary>The status description of a query DuckDB was interrupted in.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The status description of a query stopped between two of its batches because the call was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>
    /// Executes <paramref name="sql"/> with named parameters and returns its Arrow IPC stream.
    /// DuckDB hands over batches of about 2,048 rows; they are coalesced into batches of up to
    /// <see cref="BatchRows"/> rows so a client decodes few, large batches.
    /// </summary>
    public static async Task<ArrowResult> QueryAsync(DuckDBConnection connection, string sql,
        IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<string> notes, CancellationToken ct)
    {
        using var reader = Open(connection, sql, parameters, ct);
        using var builder = new ArrowResult.Builder(reader.Schema);
        while (await reader.NextAsync(ct) is { } batch)
        {
            using (batch) builder.Write(batch);
        }
        return builder.Finish(notes);
    }

    /// <summary>Executes <paramref name="sql"/> and returns its record batches, coalesced to up to <see cref="BatchRows"/> rows.</summary>
    public static async Task<(Schema Schema, List<RecordBatch> Batches)> ReadAsync(DuckDBConnection connection, string sql,
        IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        using var reader = Open(connection, sql, parameters, ct);
        var batches = new List<RecordBatch>();
        while (await reader.NextAsync(ct) is { } batch) batches.Add(batch);
        return (reader.Schema, batches);
    }

    /// <summary>
    /// Bounds the memory DuckDB uses for the database instance <paramref name="connection"/> is open
    /// on: over <paramref name="megabytes"/> its sorts and hash tables spill to a temporary folder of
    /// that instance's own (<see cref="SpillFolder"/>; DuckDB cannot switch the folder once used).
    /// Checked on each call's connection, as the setting lives as long as DuckDB keeps the file open,
    /// but set only when DuckDB does not have it already: setting the limit, even to the value it
    /// has, made the next query on the instance 1.5–2.5 times as slow (measured 2026-12-06 with the
    /// service benchmark's <c>--profile-ratio</c>), which every call paid.
    /// </summary>
    public static void LimitMemory(DuckDBConnection connection, int megabytes)
    {
        var spill = SpillFolder(connection.DataSource);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT current_setting('temp_directory'), current_setting('memory_limit')";
        string? folder, limit;
        using (var reader = cmd.ExecuteReader())
        {
            reader.Read();
            (folder, limit) = (reader.GetValue(0) as string, reader.GetValue(1) as string);
        }
        if (folder == spill && limit is not null && LimitsSet.TryGetValue(megabytes, out var shown) && shown == limit) return;
        var set = $"SET memory_limit = '{megabytes}MiB'";
        if (folder != spill)
        {
            // Once per time DuckDB opens the file: it refuses to change the folder after spilling to it, even to the same one.
            ForgetRetiredSpillFolders();
            Directory.CreateDirectory(spill);  // DuckDB makes the folder itself, not its parents
            SpillFolders[spill] = connection.DataSource;
            set += $"; SET temp_directory = '{spill.Replace("'", "''", StringComparison.Ordinal)}'; SET allocator_flush_threshold = '{AllocatorFlushThreshold}'";
        }
        cmd.CommandText = set;
        cmd.ExecuteNonQuery();
        cmd.CommandText = "SELECT current_setting('memory_limit')";
        if (cmd.ExecuteScalar() is string now) LimitsSet[megabytes] = now;  // how DuckDB shows this limit ("1.0 GiB"), to know it next time
    }

    /// <summary>
    /// DuckDB's <c>allocator_flush_threshold</c> on the service's instances, set with the spill folder
    /// (once per instance): the peak allocation above which DuckDB hands its allocator's free memory
    /// back to the system when a task ends (its default, 128 MiB, does so after every big query). A
    /// big query's memory then stays with the instance for the next one, which would otherwise touch
    /// it afresh: a page fault costs 12–15 µs on the benchmark machine. (c)'s 2.16M-row call computed
    /// again on a warm service, three alternating pairs: 25,000–34,000 faults in DuckDB's execution
    /// against 76,000–81,000, and 4.05–4.85 s against 5.10–5.34 s; the peak RSS of the call alike
    /// (798–830 MB against 820–852 MB), more kept between calls (655–696 MB against 476–494 MB). What
    /// an instance can keep is bounded by what it used at its peak, itself bounded by the memory limit.
    /// </summary>
    public const string AllocatorFlushThreshold = "4GiB";

    /// <summary>Where this process's DuckDB instances spill: one folder each, named <c>pid-hash</c>.</summary>
    public static readonly string SpillRoot = Path.Combine(Path.GetTempPath(), "qa-duckdb");

    /// <summary>
    /// The spill folder of the DuckDB instance opened by <paramref name="dataSource"/> in this process:
    /// <see cref="SpillRoot"/>/<c>pid-hash</c>, the hash over the data source as written. Each
    /// instance needs its own, because DuckDB names its spill files by block size only
    /// (<c>duckdb_temp_storage_S32K-0.tmp</c>): two instances spilling into one folder at once fail
    /// each other's reads ("Corrupt temporary file"). The query lanes open the same file as
    /// separate instances under different spellings (<see cref="Snapshots.LaneEngine.InstancePath"/>),
    /// and two services may serve the same file. The first call in a process removes the folders of
    /// processes that have ended (<see cref="SweepSpillFolders"/>).
    /// </summary>
    public static string SpillFolder(string dataSource)
    {
        if (Interlocked.Exchange(ref _swept, 1) == 0) SweepSpillFolders(SpillRoot);
        var instance = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataSource)))[..16];
        return Path.Combine(SpillRoot, $"{Environment.ProcessId}-{instance}");
    }

    private static int _swept;

    /// <summary>This process's spill folders and the data source each belongs to.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SpillFolders = new();

    /// <summary>
    /// Removes, under <paramref name="root"/>, the spill folders (<c>pid-hash</c>) of processes that
    /// are no longer running, with whatever a killed process left in them, and the empty folders of
    /// the naming used before (16 hex digits). Folders named otherwise are left alone. Returns how
    /// many were removed.
    /// </summary>
    public static int SweepSpillFolders(string root)
    {
        if (!Directory.Exists(root)) return 0;
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            var ours = dash > 0 && int.TryParse(name.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && !IsRunning(pid);
            // Before 2026-12-06 a folder was named by the file alone (16 hex digits): removed once empty.
            var legacy = name.Length == 16 && name.All(char.IsAsciiHexDigitUpper);
            if (!ours && !legacy) continue;
            try
            {
                if (ours) Directory.Delete(folder, recursive: true);
                else if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
                else continue;
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process is sweeping it too, or it is not ours to remove: leave it.
            }
        }
        return removed;

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Removes this process's spill folders whose database file is gone (a retired snapshot) and
    /// that are empty: DuckDB deletes its spill files as it closes, and makes the folder again if
    /// an instance still open wants it.
    /// </summary>
    private static void ForgetRetiredSpillFolders()
    {
        foreach (var (folder, dataSource) in SpillFolders)
        {
            if (File.Exists(dataSource)) continue;
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
                SpillFolders.TryRemove(folder, out _);
            }
            catch (IOException)
            {
                // DuckDB wrote to it meanwhile: try again next time.
            }
        }
    }

    /// <summary>For each limit set, how DuckDB's <c>current_setting('memory_limit')</c> shows it.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> LimitsSet = new();

    /// <summary>Executes <paramref name="sql"/>; its batches are then read one at a time, so a big result need never be held whole.</summary>
    public static Reader Open(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct) =>
        new(connection, sql, parameters, ct);

    /// <summary>
    /// A running query's record batches, coalesced to up to <see cref="BatchRows"/> rows. A
    /// cancelled token interrupts DuckDB (a deadline or a cancelled call); disposing stops the query.
    /// </summary>
    public sealed class Reader : IDisposable
    {
        private readonly DuckDBCommand _command;
        private readonly CancellationTokenRegistration _cancel;
        private readonly IArrowArrayStream _stream;
        private readonly Activity? _activity;
        private readonly CancellationToken _ct;
        private readonly Lock _gate = new();
        private bool _disposed;  // under _gate: no interrupt reaches a disposed command
        private long _rows;

        internal Reader(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
        {
            _ct = ct;
            // Tagged at the start, so a listener knows whose query it is when it starts.
            _activity = Telemetry.StartActivity("duckdb.query", ActivityKind.Client, default(ActivityContext),
                [new("db.system", "duckdb"), new("db.name", connection.DataSource)]);
            _command = connection.CreateCommand();
            try
            {
                _command.CommandText = sql;
                _command.UseStreamingMode = true;  // DuckDB hands over chunks as it makes them, rather than a whole materialised result
                _cancel = ct.Register(Interrupt);
                foreach (var (name, value) in parameters) _command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
                ct.ThrowIfCancellationRequested();  // cancelled already: DuckDB never starts
                _stream = _command.ExecuteArrowStream();
            }
            catch (Exception ex)
            {
                // DuckDB.NET reports an interrupted execution as OperationCanceledException.
                _activity?.SetStatus(ActivityStatusCode.Error, ct.IsCancellationRequested ? Interrupted : ex.GetType().Name);
                _cancel.Dispose();
                lock (_gate) _disposed = true;
                _command.Dispose();
                _activity?.Dispose();
                if (OverBudget(ex) is { } budget) throw budget;
                throw;
            }
        }

        public Schema Schema => _stream.Schema;

        /// <summary>
        /// Interrupts DuckDB, then again after 10, 100 and 500 ms while this query is open. An
        /// interrupt that arrives before DuckDB has begun the statement (while it is still being
        /// bound, say) is lost when the statement begins, and the query then ran to its end: seen as
        /// a cancelled call whose DuckDB query went on for seconds.
        /// </summary>
        private void Interrupt()
        {
            if (!TryCancel()) return;
            _ = Task.Run(async () =>
            {
                foreach (var ms in (int[])[10, 100, 500])
                {
                    await Task.Delay(ms);
                    if (!TryCancel()) return;
                }
            });
        }

        private bool TryCancel()
        {
            lock (_gate)
            {
                if (_disposed) return false;
                _command.Cancel();
                return true;
            }
        }

        /// <summary>The next batch (the caller owns it), or null at the end.</summary>
        public async Task<RecordBatch?> NextAsync(CancellationToken ct)
        {
            var pending = new List<RecordBatch>();
            var rows = 0;
            try
            {
                while (rows < BatchRows && await _stream.ReadNextRecordBatchAsync(ct) is { } batch)
                {
                    pending.Add(batch);
                    rows += batch.Length;
                }
            }
            catch (Exception ex)
            {
                foreach (var b in pending) b.Dispose();
                Ended(ex);
                if (OverBudget(ex) is { } budget) throw budget;
                throw;
            }
            if (rows < BatchRows && _ct.IsCancellationRequested)
            {
                // An interrupted DuckDB ends its stream as if the result were complete: never pass a cut-short result on.
                foreach (var b in pending) b.Dispose();
                _activity?.SetStatus(ActivityStatusCode.Error, Interrupted);
                _ct.ThrowIfCancellationRequested();
            }
            _activity?.SetTag("qa.rows", _rows += rows);
            if (pending.Count <= 1) return pending.Count == 0 ? null : pending[0];
            var columns = Enumerable.Range(0, Schema.FieldsList.Count)
                .Select(c => ArrowConcat.Concatenate(pending.Select(b => b.Column(c)).ToList()))
                .ToList();
            foreach (var b in pending) b.Dispose();
            return new RecordBatch(Schema, columns, rows);
        }

        /// <summary>DuckDB's "Out of Memory Error" (over <c>memory_limit</c> even spilling) as the caller's <see cref="MemoryBudgetException"/>; null for any other failure.</summary>
        private static MemoryBudgetException? OverBudget(Exception exception) =>
            exception is DuckDBException { ErrorType: DuckDB.NET.Native.DuckDBErrorType.OutOfMemory } duckDb ? new MemoryBudgetException(duckDb.Message, duckDb) : null;

        /// <summary>A fetch that failed: interrupted when DuckDB itself stopped, cancelled when the call was cancelled before the next fetch.</summary>
        private void Ended(Exception exception) =>
            _activity?.SetStatus(ActivityStatusCode.Error, !_ct.IsCancellationRequested ? exception.GetType().Name
                : exception is DuckDBException ? Interrupted : Cancelled);

        public void Dispose()
        {
            _cancel.Dispose();
            lock (_gate) _disposed = true;
            _stream.Dispose();
            _command.Dispose();
            _activity?.Dispose();
        }
    }
}
