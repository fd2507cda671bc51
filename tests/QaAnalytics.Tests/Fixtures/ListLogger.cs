using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>Every log line of a service instance, formatted, with its level and category.</summary>
internal sealed class ListLogger : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public ConcurrentQueue<string> Categories { get; } = new();

    public ILogger CreateLogger(string categoryName)
    {
        Categories.Enqueue(categoryName);
        return new Logger(this);
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ListLogger owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
