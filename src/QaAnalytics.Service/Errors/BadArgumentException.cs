namespace QaAnalytics.Service.Errors;

/// <summary>A request value that cannot be used, naming the field (mapped to InvalidArgument at the edge).</summary>
public sealed class BadArgumentException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}
