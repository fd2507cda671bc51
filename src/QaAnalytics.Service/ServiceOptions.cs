using System.ComponentModel.DataAnnotations;

namespace QaAnalytics.Service;

/// <summary>Service settings (section <c>QaAnalytics</c>; environment variables <c>QaAnalytics__DatabasePath</c> etc.).</summary>
public sealed class ServiceOptions
{
    public const string Section = "QaAnalytics";

    /// <summary>The published database link written by <c>qa-ingest load</c>. Default <c>data/qa.duckdb</c>.</summary>
    [Required]
    public string DatabasePath { get; set; } = Path.Combine("data", "qa.duckdb");

    /// <summary>Loopback port for gRPC over HTTP/2 (cleartext, loopback only). Default 5080.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5080;

    /// <summary>
    /// Loopback port for HTTP/1.1: <c>/api/v1</c>, <c>/odata</c> and the web pages (cleartext HTTP/2 needs
    /// prior knowledge, so one cleartext port cannot serve both gRPC and browsers or BI tools). Default 5081.
    /// </summary>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = 5081;

    /// <summary>
    /// The API keys file written by <c>qa-ingest keys</c> (hashes only). Default: beside the database,
    /// <c>&lt;DatabasePath&gt;.apikeys.json</c>; a missing file means no keys.
    /// </summary>
    public string? ApiKeysPath { get; set; }

    /// <summary>Rows per page of an OData feed (then <c>@odata.nextLink</c>), and the largest <c>$top</c>. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int ODataPageSize { get; set; } = 10_000;

    /// <summary>
    /// For the council's own roles (director, QA lead, service manager, team manager, analyst), within
    /// their scope: counts from 1 up to this value are withheld (DfE practice: 1–5). Default 0: exact
    /// figures, as the council's own management information. Outside the council (regional partner,
    /// outputs for publication) counts are always perturbed by the cell key method, whatever this says.
    /// </summary>
    [Range(0, 100)]
    public int SuppressBelowOrAt { get; set; }

    /// <summary>
    /// Per-role overrides of <see cref="SuppressBelowOrAt"/> (role name → threshold, e.g.
    /// <c>QaAnalytics:SuppressBelowOrAtByRole:analyst = 5</c>). Council roles only. Default: none.
    /// </summary>
    public Dictionary<string, int> SuppressBelowOrAtByRole { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest a query may run on DuckDB before it is interrupted (DeadlineExceeded). Default 30 s.</summary>
    [Range(1, 3600)]
    public int QueryTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Queries one caller (subject) may run on DuckDB at once; the rest of theirs wait while others'
    /// go first. Default: the number of cores (one caller alone may use every slot; when others wait,
    /// a freed slot goes to them first, and a heavy caller never gets the last one).
    /// </summary>
    [Range(1, 1024)]
    public int MaxQueriesPerCaller { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// A caller whose queries take this long or more on average (milliseconds) is heavy: heavy callers
    /// together never hold the last query slot, which stays free for everyone else. Default 1000.
    /// </summary>
    [Range(1, 3_600_000)]
    public int HeavyQueryMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Heavy queries (a costly plan, see <see cref="HeavyPlanWeight"/>) run at once in the heavy lane, on a second read-only DuckDB instance of the snapshot with
    /// <see cref="HeavyQueryThreads"/> threads, so small queries never queue behind them nor lose
    /// their threads to them. Default 1; 0 puts every query in one lane on one instance.
    /// </summary>
    [Range(0, 64)]
    public int HeavyQuerySlots { get; set; } = 1;

    /// <summary>
    /// DuckDB threads for small plans (under <see cref="Queries.AnalyticsQueries.CalculatorBelowCells"/>
    /// estimated cells: one council's questions, say): a number gives them an instance of their own
    /// with that many threads; 0 runs them on the shared instance with DuckDB's default (every core),
    /// where the light lane's other plans always run. Default 1: many small calls at once then share
    /// the cores query by query rather than each taking every core. With one thread for every plan
    /// of the light lane (measured 2026-12-06, six alternating pairs of <c>bench service
    /// --only-concurrent</c>: p99 ÷ p50 3.1–3.5 against 3.3–4.0) the lane's biggest plans were slower
    /// alone (GetTriangulation's seven quarters for every team, 1.18–1.20 s against 0.78–0.95 s);
    /// small plans are not (one council's, 7 against 8 ms).
    /// </summary>
    [Range(0, 256)]
    public int LightQueryThreads { get; set; } = 1;

    /// <summary>
    /// DuckDB threads the heavy lane's instance runs one query on while small calls are about (a
    /// light caller asked in the last 10 s); a costly query that starts with none about runs on every
    /// core, until one asks. Default 1.
    /// </summary>
    [Range(1, 256)]
    public int HeavyQueryThreads { get; set; } = 1;

    /// <summary>
    /// A request whose estimated cells (organisation units × periods × extra dimensions, before it
    /// runs: see the README) reach this goes to the heavy lane. Default 10,000 (a council's teams by
    /// month over five years is 600; every count of a council's teams by rolling 12 months, audit
    /// type and auditor is over a million).
    /// </summary>
    [Range(1, double.MaxValue)]
    public double HeavyPlanWeight { get; set; } = 10_000;

    /// <summary>
    /// While small calls are about (a light caller asked in the last 10 s), the heavy lane is busy at
    /// most this percentage of the time: after each heavy query it rests in proportion to how long
    /// the query took, and to how long its result took to send (at 50, as long again). Default 50;
    /// lower protects small calls more from costly callers and slows the costly calls themselves
    /// (see the README's hostile-caller benchmark); 100 never rests.
    /// </summary>
    [Range(1, 100)]
    public int HeavyLanePercent { get; set; } = 50;

    /// <summary>
    /// Run the heavy lane's queries on threads of lower operating-system priority (nice 10 on Linux),
    /// so costly work gets only the CPU that small calls leave and runs at full speed on idle cores.
    /// Default true.
    /// </summary>
    public bool HeavyLaneLowPriority { get; set; } = true;

    /// <summary>
    /// When a snapshot is first served, run each dashboard feed once in the background (as the director
    /// of the snapshot's last council by code, one at a time through the query gate as a caller of its own), so that the
    /// first visit does not pay for compiling the code and reading the snapshot into DuckDB's buffers.
    /// Nothing it computes is kept or served. Default false: without it the first visit is already
    /// within the dashboard's 1 s goal on the national sample; it is there for bigger snapshots.
    /// </summary>
    public bool WarmUpDashboards { get; set; }

    /// <summary>Memory for cached results, in MiB (a result larger than a quarter of it is not cached). Default 512; 0 turns the cache off.</summary>
    [Range(0, 1 << 20)]
    public int CacheMegabytes { get; set; } = 512;

    /// <summary>
    /// DuckDB's memory for a snapshot (its <c>memory_limit</c>), in MiB: beyond it, big sorts and
    /// groupings spill to a temporary folder (under the system temp path) instead of growing the
    /// service. Default 1024.
    /// </summary>
    [Range(64, 1 << 20)]
    public int DuckDbMemoryMegabytes { get; set; } = 1024;

    /// <summary>
    /// The most rows one call may read from DuckDB or return (a semantic query: an RPC or Query).
    /// Over it the call fails FailedPrecondition (HTTP 422) naming the cap and how to narrow the
    /// query, instead of holding a huge result in memory. Default 20,000,000.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxRowsPerCall { get; set; } = 20_000_000;

    /// <summary>Queries run on DuckDB at once; the rest queue (cached answers do not). Default: the number of cores.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentQueries { get; set; } = Environment.ProcessorCount;
}
