using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Tests.Service.Arrow;

/// <summary>
/// The service gives DuckDB's allocator its settings through the C library's environment, which
/// native code reads, not through .NET's copy of it, which native code never sees.
/// </summary>
public sealed class DuckDbAllocatorTests
{
    [Fact]
    public void KeepFreedMemory_SetsTheVariableDuckDbReads()
    {
        if (!OperatingSystem.IsLinux()) return;  // DuckDB's jemalloc is in its Linux build only

        var inForce = DuckDbAllocator.KeepFreedMemory();

        Assert.NotNull(inForce);
        Assert.Equal(inForce, DuckDbAllocator.NativeValue(DuckDbAllocator.Variable));
        Assert.Equal(inForce, Environment.GetEnvironmentVariable(DuckDbAllocator.Variable));
        Assert.Equal("dirty_decay_ms:30000,muzzy_decay_ms:30000", DuckDbAllocator.Setting);
    }
}
