using System.Collections.Concurrent;
using QaAnalytics.Service.Threads;

namespace QaAnalytics.Service.Arrow;

/// <summary>
/// Chunk buffers (<see cref="ArrowResult.ChunkBytes"/> each, zeroed) whose memory is already in
/// place. Fresh memory costs a page fault per 4 KiB page on its first write (12–15 µs here, so 3–4
/// ms a megabyte), and writing a result's IPC was mostly that. One thread, at a lower operating-system
/// priority (<see cref="LowPriority"/>), keeps up to
/// <see cref="Buffers"/> buffers with every page touched, and makes more whenever one is taken, in
/// time the cores have spare. When the reserve is empty a buffer is made on the spot, as before.
/// Buffers are not given back: the garbage collector frees them with their result, as before.
/// </summary>
public static class ChunkReserve
{
    /// <summary>Buffers kept ready: 32 MiB of memory held while the service is idle.</summary>
    public const int Buffers = 32;

    /// <summary>The name of the reserve's thread (the one thread outside the heavy lane that runs at a lower priority).</summary>
    public const string ThreadName = "chunk reserve";

    private const int Page = 4096;
    private static readonly ConcurrentQueue<byte[]> Ready = new();
    private static readonly AutoResetEvent Wanted = new(true);
    private static int _started;

    /// <summary>Buffers ready now.</summary>
    public static int Count => Ready.Count;

    /// <summary>A zeroed chunk buffer, from the reserve when it has one.</summary>
    public static byte[] Take()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) new Thread(Fill) { IsBackground = true, Name = ThreadName }.Start();
        var buffer = Ready.TryDequeue(out var ready) ? ready : new byte[ArrowResult.ChunkBytes];
        Wanted.Set();
        return buffer;
    }

    private static void Fill()
    {
        LowPriority.LowerCurrentThread();
        while (Wanted.WaitOne())
        {
            while (Ready.Count < Buffers)
            {
                // The runtime zeroes memory it reuses, which writes every page; memory fresh from the system is zero
                // already and left unwritten, so every page is written here as well.
                var buffer = new byte[ArrowResult.ChunkBytes];
                for (var i = 0; i < buffer.Length; i += Page) buffer[i] = 0;
                Ready.Enqueue(buffer);
            }
        }
    }
}
