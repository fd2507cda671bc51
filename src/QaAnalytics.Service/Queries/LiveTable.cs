using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.Queries;

/// <summary>
/// A table a call sends while it is still being computed (<c>QueryRequest.send_while_computing</c>).
/// The call sets <see cref="Current"/> around the start of its computation; the table's writer, when
/// it writes batch by batch, reports the table as it is begun (<see cref="Begin"/>), and the call
/// then sends its chunks as they fill. A computation that is shared with an earlier identical call,
/// or worked out whole before it is written, never reports: the call then sends the finished table.
/// </summary>
public sealed class LiveTable
{
    /// <summary>The live table of the computation started in this async flow, if its call asked for one.</summary>
    internal static readonly AsyncLocal<LiveTable?> Current = new();

    private readonly TaskCompletionSource<Writing> _begun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The table being written: its name, snapshot and notes (known before its rows) and its writer.</summary>
    public sealed record Writing(string Table, Snapshot Snapshot, IReadOnlyList<string> Notes, ArrowResult.Builder Builder);

    /// <summary>Completes when the table's writing has begun.</summary>
    public Task<Writing> Started => _begun.Task;

    internal void Begin(string table, Snapshot snapshot, IReadOnlyList<string> notes, ArrowResult.Builder builder) =>
        _begun.TrySetResult(new Writing(table, snapshot, notes, builder));
}
