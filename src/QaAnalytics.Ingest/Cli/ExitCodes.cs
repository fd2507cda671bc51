using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Risk;
using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Ingest.Cli;

/// <summary>Exit codes scripts can rely on (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Done. A load may still have rejected rows: they are in ingest_rejects.</summary>
    public const int Ok = 0;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The input was refused as a whole (missing column, empty file, no key); no data changed.</summary>
    public const int InputRefused = 3;

    /// <summary>Another load is running against the same database.</summary>
    public const int Locked = 4;

    /// <summary>Something unexpected failed; no data changed.</summary>
    public const int Unexpected = 5;

    /// <summary>Loaded, but rows were rejected and --fail-on-rejects was given.</summary>
    public const int Rejects = 6;

    /// <summary>
    /// The one mapping of a failed command's exception to its exit code and the line printed:
    /// a bad option exits 2, refused input (a key, a file, a snapshot, a model, an unknown or forbidden council) exits 3, a held lock 4, anything else 5 —
    /// the documented code, never the runtime's. <paramref name="command"/> names what stopped ("load").
    /// </summary>
    public static (int Code, string Message) Of(Exception exception, string command) => exception switch
    {
        BadArgumentException bad => (Usage, $"--{bad.Field}: {bad.Message}"),
        PseudonymKeyException or InputFileException or SnapshotException or RiskModelException or NotFoundException or AccessDeniedException => (InputRefused, exception.Message),
        LoadLockedException => (Locked, exception.Message),
        OperationCanceledException => (Unexpected, $"The {command} was cancelled; no data changed."),
        _ => (Unexpected, $"The {command} stopped unexpectedly and changed no data ({exception.GetType().Name}): {exception.Message}"),
    };
}
