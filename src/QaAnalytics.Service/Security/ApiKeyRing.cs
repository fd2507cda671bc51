using Microsoft.Extensions.Options;
using QaAnalytics.Models.Access;

namespace QaAnalytics.Service.Security;

/// <summary>
/// The keys file as the service sees it: read again whenever its size or time changes, so a key
/// issued or revoked with <c>qa-ingest keys</c> counts from the next call without a restart.
/// </summary>
public sealed class ApiKeyRing(IOptions<ServiceOptions> options)
{
    private readonly Lock _lock = new();
    private (DateTime Written, long Length) _version;
    private IReadOnlyList<ApiKey> _keys = [];

    public ApiKeyStore Store { get; } = new(options.Value.ApiKeysPath ?? ApiKeyStore.BesideDatabase(options.Value.DatabasePath));

    /// <summary>The unrevoked key <paramref name="presented"/> is, or null.</summary>
    public ApiKey? Match(string presented) => ApiKeyStore.Match(Current(), presented);

    private IReadOnlyList<ApiKey> Current()
    {
        var file = new FileInfo(Store.Path);
        var version = file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1L);
        lock (_lock)
        {
            if (version != _version)
            {
                _keys = file.Exists ? Store.List() : [];
                _version = version;
            }
            return _keys;
        }
    }
}
