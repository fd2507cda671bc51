using System.Runtime.InteropServices;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Tests.Service.Arrow;

/// <summary>Issue 13: a result's chunk buffers come with their memory already in place, and zeroed.</summary>
public sealed partial class ChunkReserveTests
{
    /// <summary>
    /// After a buffer is taken the reserve fills up again (it stays empty when its thread does not
    /// run), and every page of a buffer it hands out is resident before anything writes to it (Linux
    /// <c>mincore</c>; the runtime's zeroing of reused memory or the reserve's own writes put them
    /// there): writing a result then takes no page fault. A buffer is a whole chunk, zeroed.
    /// </summary>
    [Fact]
    public async Task Take_RefillsWithBuffersWhosePagesAreResident()
    {
        var first = ChunkReserve.Take();
        Assert.Equal(ArrowResult.ChunkBytes, first.Length);
        Assert.True(first.AsSpan().IndexOfAnyExcept((byte)0) < 0);

        // Other tests running meanwhile may take buffers too: the reserve must be full at some moment within 30 s.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool full;
        while (!(full = ChunkReserve.Count == ChunkReserve.Buffers) && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
        Assert.True(full, $"the reserve held {ChunkReserve.Count} of {ChunkReserve.Buffers} buffers after 30 s");

        var ready = ChunkReserve.Take();
        Assert.True(ready.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        if (!OperatingSystem.IsLinux()) return;  // mincore is Linux's
        Assert.Equal(0, NotResident(ready));
    }

    /// <summary>The whole 4 KiB pages inside <paramref name="buffer"/> that are not in memory, by <c>mincore</c>.</summary>
    private static int NotResident(byte[] buffer)
    {
        const long page = 4096;
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            var start = (long)pinned.AddrOfPinnedObject();
            var first = (start + page - 1) / page * page;
            var end = (start + buffer.Length) / page * page;
            var resident = new byte[(end - first) / page];
            Assert.Equal(0, MinCore((nint)first, (nuint)(end - first), resident));
            return resident.Count(r => (r & 1) == 0);
        }
        finally
        {
            pinned.Free();
        }
    }

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int MinCore(nint address, nuint length, [Out] byte[] vector);
}
