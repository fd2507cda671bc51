using System.Runtime.InteropServices;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// How long DuckDB's own allocator (the jemalloc built into its Linux library) keeps memory its
/// queries freed before handing it back to the system. DuckDB's default is 1 s
/// (<c>dirty_decay_ms</c> and <c>muzzy_decay_ms</c> 1000), so a dashboard's next query a few
/// seconds later touched its memory afresh, and fresh memory is costly: on the machine the
/// benchmarks run on, 12–15 µs a 4 KiB page. The service keeps it <see cref="KeepFreedMilliseconds"/>.
/// jemalloc reads its settings once, from the environment variable <see cref="Variable"/>, when
/// DuckDB first allocates in the process, so <see cref="KeepFreedMemory"/> runs as the service is
/// composed, before any DuckDB instance opens. A value the operator gave the variable is kept as it is.
/// </summary>
public static partial class DuckDbAllocator
{
    /// <summary>The environment variable DuckDB's jemalloc reads its settings from.</summary>
    public const string Variable = "DUCKDB_JE_MALLOC_CONF";

    /// <summary>How long freed memory is kept for the next query before it goes back to the system.</summary>
    public const int KeepFreedMilliseconds = 30_000;

    /// <summary>The settings the service gives DuckDB's allocator.</summary>
    public static readonly string Setting = $"dirty_decay_ms:{KeepFreedMilliseconds},muzzy_decay_ms:{KeepFreedMilliseconds}";

    /// <summary>
    /// Gives DuckDB's allocator <see cref="Setting"/> for this process, unless <see cref="Variable"/>
    /// is set already (the operator's value wins). Has effect only if DuckDB has not allocated yet in
    /// this process; Linux only (DuckDB's other builds use the system's allocator). Returns the value in force, or null.
    /// </summary>
    public static string? KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given)) return given;
        // .NET keeps its own copy of the environment: native code such as DuckDB's reads the C library's, set here.
        if (SetEnv(Variable, Setting, 0) != 0) return null;
        Environment.SetEnvironmentVariable(Variable, Setting);
        return Setting;
    }

    /// <summary>The value of <paramref name="name"/> in the C library's environment (what native code reads).</summary>
    internal static string? NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
