using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace QaAnalytics.Service.Gate;

/// <summary>
/// Runs the heavy lane's queries on threads of their own at a lower operating-system priority
/// (<c>nice</c> <see cref="Niceness"/> on Linux, <see cref="ThreadPriority.Lowest"/> elsewhere). The
/// heavy lane's DuckDB instance has one thread, so DuckDB runs a costly plan on the thread that reads
/// it: here. The scheduler of the machine then gives a small call's threads the cores the moment they
/// want them, and the costly work only what they leave, instead of half of every core; with the cores
/// idle, costly work runs as fast as before. Continuations of a query's awaits come back to these
/// threads (the query's code never leaves them with <c>ConfigureAwait(false)</c>).
/// </summary>
public sealed partial class LowPriorityScheduler : TaskScheduler, IDisposable
{
    /// <summary>The <c>nice</c> value of the threads: 10 gives them about a tenth of the weight of a normal thread.</summary>
    public const int Niceness = 10;

    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public LowPriorityScheduler(int threads)
    {
        _threads = [.. Enumerable.Range(0, Math.Max(1, threads)).Select(i => new Thread(Work)
        {
            IsBackground = true,
            Name = $"heavy lane {i + 1}",
            Priority = OperatingSystem.IsLinux() ? ThreadPriority.Normal : ThreadPriority.Lowest,
        })];
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Whether the threads got their lower priority (false where the system refused it).</summary>
    public bool Lowered { get; private set; } = !OperatingSystem.IsLinux();

    /// <summary>Runs <paramref name="work"/> on one of the threads; its awaits resume there too.</summary>
    public Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <inheritdoc cref="Run{T}(Func{Task{T}})"/>
    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    private void Work()
    {
        if (OperatingSystem.IsLinux())
        {
            // PRIO_PROCESS with a thread id sets that one thread's nice value; raising it needs no privilege.
            Lowered = SetPriority(0, GetThreadId(), Niceness) == 0;
        }
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
        if (_threads.All(t => t.Join(TimeSpan.FromSeconds(1)))) _queue.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
