using QaAnalytics.Models.Access;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Tests.Models.Access;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly TestFiles _files = new();

    private ApiKeyStore Store => new(Path.Combine(_files.Root, "keys", "qa.duckdb.apikeys.json"));

    [Fact]
    public void Issue_ThenMatch_FindsTheKeyByItsHash()
    {
        var (record, key) = Store.Issue("analyst", " 938 ", null, null, "Power BI", DateTimeOffset.UnixEpoch);

        Assert.StartsWith($"{ApiKeyStore.Prefix}{record.Id}_", key, StringComparison.Ordinal);
        Assert.Equal("938", record.LaCode);
        Assert.Equal(record, ApiKeyStore.Match(Store.List(), key));
        Assert.Null(ApiKeyStore.Match(Store.List(), key + "x"));
        Assert.Null(ApiKeyStore.Match(Store.List(), "not a key"));
        // The secret is everything after "qak_<id>_": it may hold '_' itself (base64url), so not what follows the last one.
        Assert.DoesNotContain(key[$"{ApiKeyStore.Prefix}{record.Id}_".Length..], File.ReadAllText(Store.Path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Store.Path));
        }
    }

    [Fact]
    public void Revoke_StopsTheKey_AndKeepsTheOthers()
    {
        var (first, firstKey) = Store.Issue("director", "938", null, null, "a", DateTimeOffset.UnixEpoch);
        var (_, secondKey) = Store.Issue("team_manager", "938", null, "T1", "b", DateTimeOffset.UnixEpoch);

        Assert.True(Store.Revoke(first.Id, DateTimeOffset.UnixEpoch.AddDays(1)));
        Assert.False(Store.Revoke("nope", DateTimeOffset.UnixEpoch));

        Assert.Null(ApiKeyStore.Match(Store.List(), firstKey));
        Assert.NotNull(ApiKeyStore.Match(Store.List(), secondKey));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), Store.List().Single(k => k.Id == first.Id).RevokedAt);
    }

    [Theory]
    [InlineData("chief", "938", null, null)]
    [InlineData("director", null, null, null)]
    [InlineData("service_manager", "938", null, null)]
    [InlineData("team_manager", "938", "Assessment", null)]
    public void Issue_WithoutTheScopeTheRoleNeeds_IsRefused(string role, string? laCode, string? serviceArea, string? teamId)
    {
        Assert.Throws<ArgumentException>(() => Store.Issue(role, laCode, serviceArea, teamId, "", DateTimeOffset.UnixEpoch));
        Assert.Empty(Store.List());
    }

    [Fact]
    public void RoleNames_AreTheServicesRoles() => Assert.Equal(Roles.Names.Order(), ApiKeyStore.RoleNames.Order());

    public void Dispose() => _files.Dispose();
}
