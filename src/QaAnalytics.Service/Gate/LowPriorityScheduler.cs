using System.Collections.Concurrent;
using QaAnalytics.Service.Threads;

namespace QaAnalytics.Service.Gate;

/// <summary>
/// Runs the heavy lane's queries on threads of their own at a lower operating-system priority
/// (<c>nice</c> <see cref="Niceness"/> above the process's on Linux, <see cref="ThreadPriority.Lowest"/>
/// elsewhere). While small calls are about, the heavy lane's DuckDB instance has one thread, so DuckDB
/// runs a costly plan on the thread that reads it: here. The scheduler of the machine then gives a
/// small call's threads the cores the moment they want them, and the costly work only what they
/// leave, instead of half of every core; with the cores idle, costly work runs as fast as before.
/// Continuations of a query's awaits come back to these threads (the query's code never leaves them
/// with <c>ConfigureAwait(false)</c>). Only computing runs here, not the sending: writing to a
/// response queues work to the thread pool.
/// </summary>
public sealed class LowPriorityScheduler : TaskScheduler, IDisposable
{
    /// <summary>How much the threads' <c>nice</c> value is above the process's (<see cref="LowPriority.Niceness"/>).</summary>
    public const int Niceness = LowPriority.Niceness;

    private readonly BlockingCollection<Task> _queue = [];
    private readonly BlockingCollection<Action> _relay = [];
    private readonly Thread[] _threads;
    private readonly Thread _relayThread;

    public LowPriorityScheduler(int threads)
    {
        _threads = [.. Enumerable.Range(0, Math.Max(1, threads)).Select(i => new Thread(Work)
        {
            IsBackground = true,
            Name = $"heavy lane {i + 1}",
            Priority = OperatingSystem.IsLinux() ? ThreadPriority.Normal : ThreadPriority.Lowest,
        })];
        foreach (var thread in _threads) thread.Start();
        _relayThread = new Thread(() =>
        {
            foreach (var complete in _relay.GetConsumingEnumerable()) complete();
        })
        { IsBackground = true, Name = "heavy lane relay" };
        _relayThread.Start();
    }

    /// <summary>Whether the threads got their lower priority (false where the system refused it).</summary>
    public bool Lowered { get; private set; } = !OperatingSystem.IsLinux();

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; its awaits resume there too. The result is
    /// handed back through the relay thread, at normal priority, so the caller resumes on the thread
    /// pool as before, never on a lane thread. A lane thread never queues to the pool itself: a thread
    /// the pool started from one would inherit its nice value and serve small calls at it.
    /// </summary>
    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Factory.StartNew(async () =>
        {
            try
            {
                var result = await work();
                _relay.Add(() => done.TrySetResult(result));
            }
            catch (OperationCanceledException ex)
            {
                _relay.Add(() => done.TrySetCanceled(ex.CancellationToken));
            }
            catch (Exception ex)
            {
                _relay.Add(() => done.TrySetException(ex));
            }
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);
        return done.Task;
    }

    private void Work()
    {
        if (OperatingSystem.IsLinux()) Lowered = LowPriority.LowerCurrentThread();
        foreach (var task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Inline only on the lane's own threads, so no costly work slips onto a caller's thread.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && _threads.Contains(Thread.CurrentThread) && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _queue];

    public override int MaximumConcurrencyLevel => _threads.Length;

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (_threads.All(t => t.Join(TimeSpan.FromSeconds(1))))
        {
            _queue.Dispose();
            _relay.CompleteAdding();
            if (_relayThread.Join(TimeSpan.FromSeconds(1))) _relay.Dispose();
        }
    }
}
