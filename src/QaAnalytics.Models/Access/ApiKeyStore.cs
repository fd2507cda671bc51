using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QaAnalytics.Models.Access;

/// <summary>
/// API keys for BI tools that cannot fetch a bearer token (Power BI's "Web API key" credential):
/// a JSON file beside the published database (<c>data/qa.duckdb.apikeys.json</c> by default), not
/// in a snapshot, so issuing or revoking a key needs no load and takes effect on the next call. A
/// key is <c>qak_&lt;id&gt;_&lt;secret&gt;</c> (a 256-bit random secret); the file holds its SHA-256 only (a
/// fast hash is enough for a random 256-bit secret: there is nothing to guess from), and is written
/// whole to a temporary file and renamed over the old one, readable by its owner only.
/// </summary>
public sealed class ApiKeyStore(string path)
{
    public const string Prefix = "qak_";

    /// <summary>The role names a key may carry (the service's roles; a test keeps the two lists equal).</summary>
    public static readonly IReadOnlyList<string> RoleNames = ["director", "qa_lead", "service_manager", "team_manager", "analyst", "regional_partner"];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = path;

    /// <summary>The keys file beside a database path: <c>&lt;db&gt;.apikeys.json</c>.</summary>
    public static string BesideDatabase(string databasePath) => databasePath + ".apikeys.json";

    /// <summary>Every key issued, revoked ones included; none when the file does not exist.</summary>
    public IReadOnlyList<ApiKey> List()
    {
        if (!File.Exists(Path)) return [];
        var keys = JsonSerializer.Deserialize<List<ApiKey>>(File.ReadAllText(Path), Json);
        return keys ?? throw new InvalidDataException($"{Path} holds no list of keys");
    }

    /// <summary>
    /// Issues a key for a role and its scope; returns the stored record and the key itself, which is
    /// shown once and never stored. The scope each role needs is checked here and again, as a
    /// token's claims are, on every call.
    /// </summary>
    public (ApiKey Record, string Key) Issue(string role, string? laCode, string? serviceArea, string? teamId, string name, DateTimeOffset now)
    {
        role = role.Trim();
        if (!RoleNames.Contains(role)) throw new ArgumentException($"'{role}' is not a role ({string.Join(", ", RoleNames)})", nameof(role));
        laCode = Blank(laCode);
        serviceArea = Blank(serviceArea);
        teamId = Blank(teamId);
        if (role != "regional_partner" && laCode is null) throw new ArgumentException($"a {role} key needs a council (--la-code)", nameof(laCode));
        if (role == "service_manager" && serviceArea is null) throw new ArgumentException("a service_manager key needs a service area (--service-area)", nameof(serviceArea));
        if (role == "team_manager" && teamId is null) throw new ArgumentException("a team_manager key needs a team (--team-id)", nameof(teamId));
        var keys = List().ToList();
        string id;
        do id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        while (keys.Any(k => k.Id == id));
        var key = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var record = new ApiKey(id, role, laCode, serviceArea, teamId, name.Trim(), now, null, Hash(key));
        keys.Add(record);
        Save(keys);
        return (record, key);
    }

    /// <summary>Revokes a key by id; false when there is no such key. Revoking twice keeps the first time.</summary>
    public bool Revoke(string id, DateTimeOffset now)
    {
        var keys = List().ToList();
        var index = keys.FindIndex(k => k.Id == id.Trim());
        if (index < 0) return false;
        if (!keys[index].Revoked) keys[index] = keys[index] with { RevokedAt = now };
        Save(keys);
        return true;
    }

    /// <summary>The key's id (the part before the secret), or null when the text is not shaped like a key.</summary>
    public static string? IdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = key.IndexOf('_', Prefix.Length);
        return end > Prefix.Length ? key[Prefix.Length..end] : null;
    }

    /// <summary>The stored record a presented key matches (its hash, in constant time), unless revoked; null otherwise.</summary>
    public static ApiKey? Match(IEnumerable<ApiKey> keys, string presented)
    {
        var id = IdOf(presented);
        if (id is null) return null;
        var hash = Convert.FromHexString(Hash(presented));
        return keys.FirstOrDefault(k => k.Id == id && !k.Revoked && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(k.Sha256), hash));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private void Save(List<ApiKey> keys)
    {
        var full = System.IO.Path.GetFullPath(Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options)) JsonSerializer.Serialize(stream, keys, Json);
        File.Move(temp, full, overwrite: true);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
