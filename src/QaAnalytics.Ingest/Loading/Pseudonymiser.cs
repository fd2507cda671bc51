using System.Security.Cryptography;
using System.Text;

namespace QaAnalytics.Ingest.Loading;

/// <summary>
/// Keyed pseudonymisation of child identifiers: HMAC-SHA256 under a council-held key, written as
/// lower-case hex. The loader computes it inside DuckDB through a scalar function registered from
/// C# (<see cref="PseudonymFunction"/>), so raw ids never leave the staging tables and the key
/// never reaches SQL text or parameters.
/// </summary>
public sealed class Pseudonymiser
{
    /// <summary>Environment variable that carries the key.</summary>
    public const string KeyVariable = "QA_PSEUDONYM_KEY";

    /// <summary>The demo key: for synthetic sample data only, and labelled so wherever it is used.</summary>
    public const string DemoKeyText = "QaAnalytics DEMO key - synthetic sample data only - never use for real children";

    /// <summary>Shortest key accepted, in bytes of UTF-8.</summary>
    public const int MinimumKeyBytes = 32;

    private const int BlockSize = 64;
    private readonly byte[] _key;

    private Pseudonymiser(byte[] key, bool isDemo)
    {
        _key = key.Length > BlockSize ? SHA256.HashData(key) : key;
        IsDemo = isDemo;
    }

    public bool IsDemo { get; }

    public static Pseudonymiser Demo() => new(Encoding.UTF8.GetBytes(DemoKeyText), isDemo: true);

    /// <summary>A key given as text (e.g. from the environment). Throws <see cref="PseudonymKeyException"/> when too short.</summary>
    public static Pseudonymiser FromText(string keyText)
    {
        var bytes = Encoding.UTF8.GetBytes(keyText.Trim());
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new PseudonymKeyException(
                $"The pseudonymisation key is too short ({bytes.Length} bytes); use at least {MinimumKeyBytes} random characters and keep them secret.");
        }
        if (keyText.Trim() == DemoKeyText)
        {
            return Demo();
        }
        return new Pseudonymiser(bytes, isDemo: false);
    }

    /// <summary>The reference implementation (used by tests to check the SQL).</summary>
    public string Pseudonymise(string childId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(childId.Trim())));

    /// <summary>
    /// The secret that keys the cell key method's record keys (macros.sql, <c>record_key</c>): 128
    /// bits of HMAC-SHA256 under the council's key of a fixed label, as hex. One-way, so it gives
    /// away nothing of the key that pseudonymises child ids; the same key always gives the same secret.
    /// </summary>
    internal string RecordKeySecret() =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, "QaAnalytics record keys v1"u8)[..16]);

    /// <summary>
    /// A reusable HMAC-SHA256 under the key, for <see cref="PseudonymFunction"/>: resetting it keeps
    /// the keyed state, so each id costs two SHA-256 blocks, not four. Not thread-safe.
    /// </summary>
    internal IncrementalHash NewHmac() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
}

/// <summary>No usable key: a real load is refused rather than storing guessable ids.</summary>
public sealed class PseudonymKeyException(string message) : Exception(message);
