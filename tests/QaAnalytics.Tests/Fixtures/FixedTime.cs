namespace QaAnalytics.Tests.Fixtures;

/// <summary>A clock stopped at one instant.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A clock that moves one second each time it is read, so runs made in one test order like real ones.</summary>
public sealed class SteppingTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks;

    public override DateTimeOffset GetUtcNow() => start.AddSeconds(Interlocked.Increment(ref _ticks));
}
