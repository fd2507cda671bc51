namespace QaAnalytics.Tests.Fixtures;

/// <summary>Tests that change process-wide state (console, environment) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
