using System.Runtime.InteropServices;

namespace QaAnalytics.Service.Threads;

/// <summary>
/// Lowers one thread's operating-system priority, for work that should take only the CPU that
/// calls leave (the heavy lane's queries, the chunk reserve): on Linux its <c>nice</c> value goes
/// <see cref="Niceness"/> above the process's, elsewhere its priority becomes <see cref="ThreadPriority.Lowest"/>.
/// </summary>
public static partial class LowPriority
{
    /// <summary>How much the thread's <c>nice</c> value is raised: 10 gives it about a tenth of the weight of a normal thread.</summary>
    public const int Niceness = 10;

    /// <summary>Lowers the calling thread's priority; whether the system allowed it.</summary>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return true;
        }
        // PRIO_PROCESS with a thread id sets that one thread's nice value; raising it needs no privilege.
        var thread = GetThreadId();
        return SetPriority(0, thread, Math.Min(19, GetPriority(0, thread) + Niceness)) == 0;
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
