using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Security;

/// <summary>
/// The request header with which a call marks its output for publication (an export, an evidence
/// pack, a public feed), the same on every edge (gRPC metadata, /api/v1, OData).
/// </summary>
public static class Audiences
{
    /// <summary>The header: <c>qa-audience: publication</c> or <c>council</c> (the default).</summary>
    public const string Header = "qa-audience";

    /// <summary>
    /// Whether the header says the output is for publication; then its figures are for outside the
    /// council, whoever asks. Any other value is refused, naming the header.
    /// </summary>
    public static bool ForPublication(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "council" => false,
        "publication" => true,
        _ => throw new BadArgumentException(Header, "use 'publication' (figures for outside the council) or 'council'"),
    };
}
