using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using QaAnalytics.Models.Audits;
using QaAnalytics.Models.Calendar;
using QaAnalytics.Models.Kpis;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Ingest.Loading;

/// <summary>
/// Loads a folder of extracts into a new DuckDB snapshot and publishes it. A run is all or
/// nothing: row problems become rejects, a file problem fails the run, and a failed run publishes
/// a snapshot whose facts equal the previous one plus the failure in <c>ingest_runs</c>.
/// Validation is set-based SQL over the staged text (Sql/validate_*.sql).
/// </summary>
public sealed partial class Loader(Pseudonymiser? pseudonymiser, TimeProvider time, ILogger<Loader>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<Loader>.Instance;

    public async Task<LoadReport> LoadAsync(LoadRequest request, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var (inputs, ignored) = Discover(request.FromDir);
        if (inputs.Any(i => i.Kind == InputContract.Audits) && pseudonymiser is null)
        {
            throw new PseudonymKeyException(
                $"audits.csv holds child identifiers and no pseudonymisation key is set. Set {Pseudonymiser.KeyVariable} " +
                "(at least 32 random characters, kept secret by the council) or pass --key-file; for synthetic sample data only, pass --demo-key.");
        }

        var store = new SnapshotStore(request.DbPath, request.Keep);
        using var writerLock = store.AcquireWriterLock();
        var runId = SnapshotStore.NewRunId(time);
        LogRunStarted(runId, inputs.Count);
        var workDir = Directory.CreateTempSubdirectory("qa-ingest-").FullName;
        try
        {
            // The snapshot file is private to this run until it is published, so it needs no
            // transaction: a run that fails throws the file away and records the failure on a
            // fresh copy of the published snapshot instead.
            List<FileReport> reports;
            string? error = null;
            var partial = store.Begin(runId);
            try
            {
                reports = await BuildSnapshotAsync(partial, inputs, runId, request, workDir, clock, progress, ct);
            }
            catch (InputFileException ex)
            {
                SnapshotStore.Discard(partial);
                error = ex.Message;
                LogRunFailed(runId, ex.FileName, ex.Problem);
                reports = FailedReports(inputs, ex);
                partial = store.Begin(runId);
                await using var session = Open(partial, ct);
                Finish(session.Connection, runId, reports, clock.Elapsed);
            }
            catch
            {
                SnapshotStore.Discard(partial);
                throw;
            }
            var report = new LoadReport(runId, error is not null, error, reports, ignored, null, pseudonymiser?.IsDemo ?? false, clock.Elapsed);
            if (report.NothingChanged)
            {
                // Every file is one loaded before: the new snapshot would hold the same data, and
                // publishing it would only make what was computed from the current one (the risk
                // flags) look stale.
                SnapshotStore.Discard(partial);
                LogNothingChanged(runId);
                return report with { SnapshotPath = store.Current() };
            }
            var published = store.Publish(partial);
            LogPublished(runId, published);
            return report with { SnapshotPath = published };
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private async Task<List<FileReport>> BuildSnapshotAsync(string partial, List<Input> inputs, string runId, LoadRequest request,
        string workDir, Stopwatch clock, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        // Each file is read, hashed and checked in C# (SourceFile.Prepare) while DuckDB sets up the
        // snapshot or loads the files before it, up to two ahead (the first file is mostly the small
        // teams.csv), so that work is off the load's critical path. A problem with a file surfaces
        // only when its turn comes, as if it had been prepared then.
        const int Ahead = 2;
        var prepared = new Task<SourceFile>?[inputs.Count];
        for (var i = 0; i < Math.Min(Ahead, inputs.Count); i++) prepared[i] = PrepareInBackground(inputs[i], workDir);
        try
        {
            await using var session = Open(partial, ct);
            var connection = session.Connection;
            var reports = new List<FileReport>();
            for (var i = 0; i < inputs.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new LoadProgress(inputs[i].FileName, "loading", i, inputs.Count));
                try
                {
                    var phase = Stopwatch.StartNew();
                    var preparing = prepared[i] ?? PrepareInBackground(inputs[i], workDir);
                    prepared[i] = null;
                    using var source = await preparing;
                    LogPhase(inputs[i].FileName, "hash and decode (waited for)", phase.ElapsedMilliseconds);
                    if (i + Ahead < inputs.Count) prepared[i + Ahead] = PrepareInBackground(inputs[i + Ahead], workDir);
                    reports.Add(LoadFile(connection, inputs[i], source, runId, request));
                }
                catch (InputFileException ex) when (ex.FileName != inputs[i].FileName)
                {
                    throw new InputFileException(inputs[i].FileName, ex.Problem);
                }
                progress?.Report(new LoadProgress(inputs[i].FileName, "done", i + 1, inputs.Count));
            }
            Finish(connection, runId, reports, clock.Elapsed);
            return reports;
        }
        finally
        {
            // A run that stops early still waits for the files being prepared: they write into workDir,
            // which the caller deletes, and their temporary copies are removed by Dispose. Their
            // problems, if any, are not reported: their turn never came.
            foreach (var preparing in prepared.OfType<Task<SourceFile>>())
            {
                await preparing.ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully) t.Result.Dispose();
                    else _ = t.Exception;
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    private static Task<SourceFile> PrepareInBackground(Input input, string workDir) =>
        Task.Run(() => SourceFile.Prepare(input.Path, workDir, input.Kind.Name));

    /// <summary>Opens a snapshot being built, with the schema, dimensions, validation macros and qa_hmac in place.</summary>
    private Session Open(string partial, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var connection = SnapshotDatabase.OpenWritable(partial);
        try
        {
            return new Session(connection, PrepareDatabase(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A loading connection and the pseudonym function registered on it (disposed after it).</summary>
    private sealed record Session(DuckDBConnection Connection, PseudonymFunction Hmac) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            Hmac.Dispose();
        }
    }

    private void Finish(DuckDBConnection connection, string runId, List<FileReport> reports, TimeSpan elapsed)
    {
        RecordRun(connection, runId, reports, elapsed);
        Execute(connection, SqlScripts.Get("views.sql"));
        if (reports.All(r => r.RowsReplaced == 0))
        {
            // Nothing was deleted, so the checkpoint has no space to reclaim; left to vacuum, it would
            // only merge the part-filled row groups that parallel inserts leave (about one per thread
            // and table), rewriting them on one thread (national sample: about 0.4 s of the load).
            // A run that replaced rows vacuums as usual.
            Execute(connection, "SET max_vacuum_tasks = 0");
        }
        Execute(connection, "CHECKPOINT");
    }

    /// <summary>The input files present in <paramref name="dir"/>, in load order, and the files it will not read.</summary>
    internal static (List<Input> Inputs, List<string> Ignored) Discover(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new InputFileException(dir, "the folder does not exist");
        }
        var files = Directory.EnumerateFiles(dir).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var inputs = new List<Input>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in InputContract.LoadOrder)
        {
            var matches = files.Where(f => kind.FileStems.Contains(Path.GetFileNameWithoutExtension(f).ToLowerInvariant())
                && InputContract.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToList();
            if (matches.Count > 1)
            {
                throw new InputFileException(string.Join(", ", matches.Select(Path.GetFileName)),
                    $"these files would all load as {kind.Name}; keep one of them in the folder");
            }
            if (matches.Count == 1)
            {
                inputs.Add(new Input(kind, matches[0]));
                used.Add(matches[0]);
            }
        }
        if (inputs.Count == 0)
        {
            throw new InputFileException(dir,
                "no input files found; expected some of kpi_definitions, teams (or ssd_department), audits, audit_requests, kpis, complaints as .csv or .xlsx");
        }
        var ignored = files.Where(f => !used.Contains(f)).Select(Path.GetFileName).OfType<string>().ToList();
        return (inputs, ignored);
    }

    internal sealed record Input(InputKind Kind, string Path)
    {
        public string FileName => System.IO.Path.GetFileName(Path);

        /// <summary>A D2I Standard Safeguarding Dataset department extract (ssd_department), read as teams.</summary>
        public bool IsSsdExtract => System.IO.Path.GetFileNameWithoutExtension(Path).Equals("ssd_department", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Teams loaded whose service area was not given: taken from the parent team, or 'Unassigned' (validate_teams.sql).</summary>
    private static IEnumerable<string> ServiceAreaNotes(DuckDBConnection connection)
    {
        var fromParent = Scalar<long>(connection, "SELECT count(*) FROM good WHERE service_area_source = 'parent'");
        var unassigned = Scalar<long>(connection, "SELECT count(*) FROM good WHERE service_area_source = 'unassigned'");
        if (fromParent > 0) yield return $"{fromParent} team(s) with no service area took their parent team's name";
        if (unassigned > 0) yield return $"{unassigned} team(s) with no service area and no parent team loaded under the service area 'Unassigned'";
    }

    /// <summary>
    /// Creates the schema, the validation macros and the dimensions on <paramref name="connection"/>
    /// and registers <c>qa_hmac</c> under this loader's key; dispose the result after the connection.
    /// </summary>
    internal PseudonymFunction PrepareDatabase(DuckDBConnection connection)
    {
        var hmac = PseudonymFunction.Register(connection, pseudonymiser);
        Execute(connection, SqlScripts.Get("schema.sql"));
        // The grade lookups are built from GradeParser, the one list of accepted spellings.
        var normalised = new StringBuilder();
        foreach (var (alias, grade) in GradeParser.Aliases)
        {
            normalised.Append(CultureInfo.InvariantCulture, $"WHEN {Literal(alias)} THEN {(int)grade} ");
        }
        var exact = new StringBuilder();
        foreach (var grade in GradeExtensions.All)
        {
            foreach (var spelling in new[] { grade.DisplayName(), grade.ShortName(), ((int)grade).ToString(CultureInfo.InvariantCulture) }.Distinct())
            {
                exact.Append(CultureInfo.InvariantCulture, $"WHEN {Literal(spelling)} THEN {(int)grade} ");
            }
        }
        Execute(connection, SqlScripts.Get("macros.sql")
            .Replace("{grade_exact}", exact.ToString())
            .Replace("{grade_case}", normalised.ToString())
            .Replace("{grade_words}", GradeParser.Accepted.Replace("'", "''")));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        Execute(connection, $"SET VARIABLE today = DATE {Literal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}");
        // A parameter, so the secret is in no SQL text; a session variable, so never in the snapshot.
        Execute(connection, "SET VARIABLE record_secret = $secret", ("secret", pseudonymiser?.RecordKeySecret()));
        // One commit, not one per row: each commit syncs the write-ahead log to disk.
        using (var seeding = connection.BeginTransaction())
        {
            SeedDimensions(connection);
            seeding.Commit();
        }
        return hmac;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    private static void SeedDimensions(DuckDBConnection connection)
    {
        if (Scalar<long>(connection, "SELECT count(*) FROM dim_date") == 0)
        {
            using var appender = connection.CreateAppender("dim_date");
            foreach (var d in CalendarDay.Range(CalendarDay.First, CalendarDay.Last))
            {
                appender.CreateRow()
                    .AppendValue(d.Date).AppendValue(d.Date.Year).AppendValue(d.Date.Month).AppendValue(d.MonthStart)
                    .AppendValue(d.MonthLabel).AppendValue(d.FinancialYear).AppendValue(d.FinancialYearStart)
                    .AppendValue(d.FinancialQuarter).AppendValue(d.FinancialQuarterLabel).AppendValue(d.FinancialQuarterStart)
                    .AppendValue(d.Weekday).AppendValue(d.IsWeekend).AppendValue(d.BankHoliday).AppendValue(d.IsWorkingDay)
                    .AppendValue(d.WorkingDaySeq)
                    .EndRow();
            }
        }
        foreach (var g in GradeExtensions.All)
        {
            Execute(connection, "INSERT OR REPLACE INTO dim_grade VALUES ($code, $name, $short, $score, $good)",
                ("code", (int)g), ("name", g.DisplayName()), ("short", g.ShortName()), ("score", g.Score()), ("good", g.IsGoodOrBetter()));
        }
        // Built-in KPIs are refreshed unless the council has redefined them in kpi_definitions.csv.
        foreach (var k in KpiCatalogue.BuiltIn)
        {
            Execute(connection, """
                INSERT OR REPLACE INTO dim_kpi
                SELECT $code, $name, $unit, $polarity, $timescale, $theme, $target, $description, 'built-in'
                WHERE NOT EXISTS (SELECT 1 FROM dim_kpi WHERE kpi_code = $code AND source <> 'built-in')
                """,
                ("code", k.Code), ("name", k.Name), ("unit", k.Unit.ToString().ToLowerInvariant()),
                ("polarity", k.Polarity == Polarity.HigherIsBetter ? "higher_is_better" : "lower_is_better"),
                ("timescale", k.StatutoryTimescale), ("theme", k.Theme?.ToString()), ("target", k.Target), ("description", k.Description));
        }
    }

    private FileReport LoadFile(DuckDBConnection connection, Input input, SourceFile source, string runId, LoadRequest request)
    {
        var phase = Stopwatch.StartNew();
        // Unchanged means identical to the version of this file that was loaded last.
        var previous = Scalar<string?>(connection, """
            SELECT run_id FROM (SELECT run_id, sha256 FROM ingest_runs WHERE file_name = $file AND status = 'loaded'
                                ORDER BY run_id DESC LIMIT 1) WHERE sha256 = $sha
            """, ("file", source.FileName), ("sha", source.Sha256));
        if (previous is not null && !request.Force)
        {
            return new FileReport(source.FileName, input.Kind.Name, source.Sha256, source.Encoding, 0, 0, 0, 0, 0, FileStatus.Unchanged,
                $"identical to the file loaded in run {previous}; nothing to do (use --force to load it again)");
        }

        phase.Restart();
        var (structural, ignoredColumns) = Stage(connection, source, input.Kind, request.LaCode);
        RecordStructuralRejects(connection, runId, source.FileName);
        LogPhase(source.FileName, "stage", phase.ElapsedMilliseconds);

        // chk: a view of typed rows with one reason column per check; problems: a view of the failed
        // checks. The accepted rows go into the kind's table in one scan of the staged text; the
        // rejects take a second scan only when the first shows there are some.
        phase.Restart();
        Execute(connection, $"SET VARIABLE ssd_extract = {(input.IsSsdExtract ? "true" : "false")}");
        Execute(connection, SqlScripts.Get(input.Kind.ValidateSql));
        var staged = Scalar<long>(connection, "SELECT count(*) FROM raw");
        var (accepted, replaced) = Merge(connection, input.Kind, runId, staged, () =>
            Execute(connection, """
                INSERT INTO ingest_rejects
                SELECT $run_id, $file, line_no, c.column_name, c.value, c.reason
                FROM (SELECT line_no, unnest(checks) AS c FROM problems) WHERE c.reason IS NOT NULL
                """, ("run_id", runId), ("file", source.FileName)));
        LogPhase(source.FileName, "validate and merge", phase.ElapsedMilliseconds);

        var rejected = staged - accepted + structural;
        var read = staged + structural;
        LogFileLoaded(source.FileName, read, accepted, rejected);
        var notes = new List<string>();
        if (rejected > 0) notes.Add($"{rejected} row(s) rejected; see ingest_rejects");
        if (input.Kind == InputContract.Teams) notes.AddRange(ServiceAreaNotes(connection));
        if (ignoredColumns.Count > 0) notes.Add($"column(s) not in the data contract, ignored: {string.Join(", ", ignoredColumns)}");
        return new FileReport(source.FileName, input.Kind.Name, source.Sha256, source.Encoding, read, accepted, rejected,
            accepted - replaced, replaced, FileStatus.Loaded, notes.Count > 0 ? string.Join("; ", notes) : null);
    }

    /// <summary>
    /// Adds the accepted rows (<c>chk WHERE ok</c>, as <c>good</c>) to the kind's table, replacing
    /// rows loaded earlier with the same key, and calls <paramref name="recordRejects"/> when fewer
    /// than <paramref name="staged"/> rows passed. Returns the rows added and how many replaced one.
    /// </summary>
    private static (long Accepted, long Replaced) Merge(DuckDBConnection connection, InputKind kind, string runId, long staged, Action recordRejects)
    {
        var upsert = SqlScripts.Get(kind.UpsertSql);
        (string, object?)[] run = upsert.Contains("$run_id", StringComparison.Ordinal) ? [("run_id", runId)] : [];
        if (kind.KeyedTable)
        {
            // A small dimension with a primary key: the replaced rows go first. good is materialised,
            // and the rejects recorded before the delete, because the checks read the dimension
            // being replaced (a team's parent loaded earlier).
            Execute(connection, "CREATE OR REPLACE TEMP TABLE good_rows AS SELECT * FROM chk WHERE ok; CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM good_rows");
            if (Scalar<long>(connection, "SELECT count(*) FROM good_rows") < staged) recordRejects();
            var removed = Execute(connection, $"DELETE FROM {kind.Table} f USING good c WHERE {kind.FactKey} = c.key");
            return (Execute(connection, upsert, run), removed);
        }
        // A fact table: insert straight from the checks, then drop the earlier rows the new ones
        // replace (found by key among this run's rows), so a file without rejects is checked once.
        Execute(connection, "CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM chk WHERE ok");
        var loadedBefore = Scalar<long>(connection, $"SELECT count(*) FROM {kind.Table}") > 0;
        var accepted = Execute(connection, upsert, run);
        if (accepted < staged) recordRejects();
        var replaced = !loadedBefore ? 0 : Execute(connection, $"""
            DELETE FROM {kind.Table} f USING (SELECT DISTINCT {kind.FactKey} AS key FROM {kind.Table} f WHERE f.run_id = $run_id) n
            WHERE f.run_id <> $run_id AND {kind.FactKey} = n.key
            """, ("run_id", runId));
        return (accepted, replaced);
    }

    /// <summary>
    /// Reads the file with DuckDB's CSV reader as text into <c>raw</c>, maps its headers onto the
    /// contract as the view <c>src</c> (line_no + contract columns), and turns rows the reader could
    /// not split into rejects. Returns how many such rows there were.
    /// </summary>
    private static (long Skipped, IReadOnlyList<string> Ignored) Stage(DuckDBConnection connection, SourceFile source, InputKind kind, string? laCode)
    {
        // Row ids give line numbers only while the reader keeps file order; later steps carry
        // line_no as a column and may run in any order (and in parallel).
        Execute(connection, "SET preserve_insertion_order = true; DROP TABLE IF EXISTS raw; DROP TABLE IF EXISTS rej_scan; DROP TABLE IF EXISTS rej_err");
        // The columns come from the header as read by CsvLayout, so DuckDB does not sniff.
        // buffer_size: the reader's default buffer is 16 × max_line_size (32 MB). Kept in file order,
        // the staging of audits.csv (71 MB, 440k rows; national sample) took 0.96–1.44 s with it and
        // 0.60–0.80 s with buffers of 2 MB, the least the reader accepts with lines of up to 2 MB
        // (five alternating pairs, 2026-12-06); the other files were the same either way.
        var headers = source.Layout.Header;
        var columns = string.Join(", ", headers.Select(h => $"{Literal(h)}: 'VARCHAR'"));
        Execute(connection, $$"""
            CREATE TEMP TABLE raw AS SELECT * FROM read_csv($path, header = true, auto_detect = false, columns = { {{columns}} },
                delim = ',', quote = '"', escape = '"', null_padding = false, max_line_size = 2097152, buffer_size = 2097152,
                ignore_errors = true, store_rejects = true, rejects_scan = 'rej_scan_info', rejects_table = 'rej_err')
            """, ("path", source.CsvPath));
        Execute(connection, "CREATE TEMP TABLE rej_scan AS SELECT line, min(error_type) AS error_type, min(error_message) AS error_message, min(column_name) AS column_name FROM rej_err GROUP BY line");

        if (headers.Any(h => h.AsSpan().IndexOfAny('\r', '\n') >= 0))
        {
            // The rest of the header "row" is data (and may hold child ids): never list it, refuse the file.
            throw new InputFileException(source.FileName, $"the header row does not end at the end of its line: {FirstLine(headers)}. " +
                (headers.Any(h => h.Contains('\r') && !h.Contains('\n'))
                    ? "The lines end in a carriage return only (old Mac line breaks); save the file as CSV UTF-8 so each row is on its own line."
                    : "A double quote in it is never closed; the header must be one line of column names."));
        }
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var h in headers) byName.TryAdd(InputContract.NormaliseHeader(h), h);

        var select = new List<string>();
        var missing = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in kind.Columns)
        {
            var header = new[] { column.Name }.Concat(column.Aliases).Select(n => byName.GetValueOrDefault(n)).FirstOrDefault(h => h is not null);
            if (header is not null)
            {
                used.Add(header);
                select.Add($"\"{header.Replace("\"", "\"\"")}\" AS {column.Name}");
            }
            else if (column.Name == "la_code" && laCode is not null)
            {
                select.Add($"{Literal(laCode)} AS la_code");
            }
            else if (column.Required)
            {
                missing.Add(column.Name == "la_code" ? "la_code (or pass --la-code)" : column.Name);
            }
            else
            {
                select.Add($"CAST(NULL AS VARCHAR) AS {column.Name}");
            }
        }
        if (missing.Count > 0)
        {
            throw new InputFileException(source.FileName,
                $"required column(s) missing: {string.Join(", ", missing)}. The header row has: {string.Join(", ", headers)}.{HeaderHint(headers)} See docs/data-contract.md.");
        }

        // Line numbers: the header is line 1. The reader keeps file order (preserve_insertion_order),
        // so row ids count rows from the first; rows it could not split, blank lines and line breaks
        // inside quoted fields shift the physical lines after them.
        var skipped = Scalar<long>(connection, "SELECT count(*) FROM rej_scan");
        const string index = "(raw.rowid - (SELECT min(rowid) FROM raw))";
        string lineNo;
        if (source.Layout.DataLines is { } dataLines)
        {
            var rejectedLines = new HashSet<long>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT line FROM rej_scan";
                using var reader = cmd.ExecuteReader();
                while (reader.Read()) rejectedLines.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
            Execute(connection, "CREATE OR REPLACE TEMP TABLE record_line (idx BIGINT, line BIGINT)");
            using (var appender = connection.CreateAppender("record_line"))
            {
                long idx = 0;
                foreach (var readerLine in dataLines.Where(l => !rejectedLines.Contains(l)))
                {
                    appender.CreateRow().AppendValue(idx++).AppendValue(source.Layout.PhysicalLine(readerLine)).EndRow();
                }
            }
            // Rejects from the reader carry its line numbers: translate them too.
            Execute(connection, "CREATE OR REPLACE TEMP TABLE rej_map (reader_line BIGINT, line BIGINT)");
            using (var appender = connection.CreateAppender("rej_map"))
            {
                foreach (var readerLine in rejectedLines)
                {
                    appender.CreateRow().AppendValue(readerLine).AppendValue(source.Layout.PhysicalLine(readerLine)).EndRow();
                }
            }
            Execute(connection, "UPDATE rej_scan SET line = m.line FROM rej_map m WHERE rej_scan.line = m.reader_line");
            lineNo = $"(SELECT line FROM record_line r WHERE r.idx = {index})";
        }
        else
        {
            lineNo = skipped == 0
                ? $"{index} + 2"
                : $"{index} + 2 + (SELECT count(*) FROM (SELECT line - row_number() OVER (ORDER BY line) - 1 AS t FROM rej_scan) r WHERE r.t <= {index})";
        }
        Execute(connection, $"CREATE OR REPLACE TEMP VIEW src AS SELECT {lineNo} AS line_no, {string.Join(", ", select)} FROM raw");
        Execute(connection, "SET preserve_insertion_order = false");
        return (skipped, headers.Where(h => !used.Contains(h)).ToList());
    }

    /// <summary>
    /// The header's names as far as its first line break. A header record runs on past one line
    /// only when the file is broken (CR-only line ends, a quote never closed), and then what follows
    /// is data, which may hold child ids: it must not reach a message, the console or ingest_runs.
    /// </summary>
    private static string FirstLine(IReadOnlyList<string> headers)
    {
        var text = string.Join(", ", headers);
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end] + " …";
    }

    /// <summary>What a header that does not split into the contract's columns most likely means, or "".</summary>
    private static string HeaderHint(IReadOnlyList<string> headers)
    {
        if (headers.All(h => h.StartsWith("column", StringComparison.Ordinal)))
        {
            return " The first line is blank: the header row must be the first line of the file.";
        }
        if (headers.Count > 1) return "";
        return headers[0].Contains(';') ? " The header is separated by semicolons; save the file as CSV with comma separators."
            : headers[0].Contains('\t') ? " The header is separated by tabs; save the file as CSV with comma separators."
            : "";
    }

    private static void RecordStructuralRejects(DuckDBConnection connection, string runId, string fileName) =>
        Execute(connection, """
            INSERT INTO ingest_rejects
            SELECT $run_id, $file, line, column_name, NULL,
                CASE error_type
                    WHEN 'MISSING COLUMNS' THEN 'the row has fewer fields than the header; check for a missing comma or a line break inside an unquoted field'
                    WHEN 'TOO MANY COLUMNS' THEN 'the row has more fields than the header; put double quotes around values that contain commas'
                    WHEN 'UNQUOTED VALUE' THEN 'a double quote is not closed or is followed by other text; quote the whole field and double any quotes inside it'
                    WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the row is longer than the reader allows (2 MB); check for a missing closing quote'
                    WHEN 'INVALID ENCODING' THEN 'the row is not valid text; save the file as CSV UTF-8'
                    ELSE 'the row could not be read as CSV: ' || error_message END
            FROM rej_scan
            """, ("run_id", runId), ("file", fileName));

    private static List<FileReport> FailedReports(List<Input> inputs, InputFileException ex) =>
        inputs.Select(input => input.FileName == ex.FileName
            ? new FileReport(input.FileName, input.Kind.Name, null, null, 0, 0, 0, 0, 0, FileStatus.Failed, ex.Problem)
            : new FileReport(input.FileName, input.Kind.Name, null, null, 0, 0, 0, 0, 0, FileStatus.NotLoaded,
                $"not loaded because {ex.FileName} failed; the run changed no data")).ToList();

    private void RecordRun(DuckDBConnection connection, string runId, List<FileReport> reports, TimeSpan elapsed)
    {
        var ended = time.GetUtcNow().UtcDateTime;
        var started = ended - elapsed;
        using var recording = connection.BeginTransaction();  // one commit (one log sync) for the whole record
        foreach (var r in reports)
        {
            Execute(connection, "INSERT INTO ingest_runs VALUES ($run, $file, $kind, $sha, $enc, $read, $acc, $rej, $new, $repl, $start, $end, $status, $msg)",
                ("run", runId), ("file", r.FileName), ("kind", r.Kind), ("sha", r.Sha256), ("enc", r.Encoding),
                ("read", r.RowsRead), ("acc", r.RowsAccepted), ("rej", r.RowsRejected), ("new", r.RowsNew), ("repl", r.RowsReplaced),
                ("start", started), ("end", ended), ("status", r.Status), ("msg", r.Message));
        }
        Execute(connection, "DELETE FROM snapshot_info");
        var key = pseudonymiser is null ? "none" : pseudonymiser.IsDemo ? "demo" : "council";
        Execute(connection, "INSERT INTO snapshot_info VALUES ($id, $version, $at, $key)", ("id", runId), ("version", SnapshotSchema.Version), ("at", ended), ("key", key));
        recording.Commit();
    }

    // The storage contract's command helpers, under the short names this file uses throughout.
    internal static int Execute(DuckDBConnection connection, string sql, params (string Name, object? Value)[] parameters) => connection.Execute(sql, parameters);

    internal static T Scalar<T>(DuckDBConnection connection, string sql, params (string Name, object? Value)[] parameters) => connection.Scalar<T>(sql, parameters);

    [LoggerMessage(1, LogLevel.Information, "Load {RunId} started with {FileCount} input file(s)")]
    private partial void LogRunStarted(string runId, int fileCount);

    [LoggerMessage(2, LogLevel.Information, "{FileName}: {Read} rows read, {Accepted} accepted, {Rejected} rejected")]
    private partial void LogFileLoaded(string fileName, long read, long accepted, long rejected);

    [LoggerMessage(5, LogLevel.Debug, "{FileName}: {Phase} took {Milliseconds} ms")]
    private partial void LogPhase(string fileName, string phase, long milliseconds);

    [LoggerMessage(3, LogLevel.Warning, "Load {RunId} failed on {FileName}: {Problem}")]
    private partial void LogRunFailed(string runId, string fileName, string problem);

    [LoggerMessage(6, LogLevel.Information, "Load {RunId}: every file is unchanged; nothing published")]
    private partial void LogNothingChanged(string runId);

    [LoggerMessage(4, LogLevel.Information, "Load {RunId} published as {Snapshot}")]
    private partial void LogPublished(string runId, string snapshot);
}
