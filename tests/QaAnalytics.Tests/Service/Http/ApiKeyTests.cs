using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using QaAnalytics.Models.Access;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Tests.Service.Http;

/// <summary>The JWT-mode service with every log line captured, and an API keys file beside its database.</summary>
public sealed class ApiKeyFixture : ServiceFixture
{
    internal ListLogger Log { get; } = new();

    public ApiKeyStore Keys => new(ApiKeyStore.BesideDatabase(DbPath));

    protected override void ConfigureJwtService(IWebHostBuilder web) => web.ConfigureLogging(l => l.AddProvider(Log));
}

/// <summary>
/// Issue 11 §2: API keys for Power BI's Web API key credential — as the <c>api_key</c> query
/// parameter or the <c>X-API-Key</c> header, under the key's role and scope, revocable, and never
/// written to the log (the access log names the key's id).
/// </summary>
public sealed class ApiKeyTests(ApiKeyFixture fixture) : IClassFixture<ApiKeyFixture>
{
    [Fact]
    public async Task Get_KeyAsQueryParameter_AnswersUnderTheKeysRole()
    {
        var (_, key) = fixture.Keys.Issue("team_manager", "938", null, "T1", "test: team manager", DateTimeOffset.UtcNow);
        var http = fixture.HttpWithToken(null);

        var rows = await ApiV1Tests.DecodeArrow(await http.GetByteArrayAsync($"/api/v1/grade-distribution?grain=year&api_key={Uri.EscapeDataString(key)}"));
        using var other = await http.GetAsync($"/api/v1/grade-distribution?team_id=T2&api_key={Uri.EscapeDataString(key)}");

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("T1", r["team_id"]));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task Get_KeyAsHeader_IsAccepted_AndOutsideTheRoleIsForbidden()
    {
        var (_, key) = fixture.Keys.Issue("regional_partner", null, null, null, "test: partner", DateTimeOffset.UtcNow);
        var http = fixture.HttpWithToken(null);
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);

        using var council = await http.GetAsync("/api/v1/complaints?grain=year");
        using var byTeam = await http.GetAsync("/api/v1/complaints?grain=year&group_by=team");

        Assert.Equal(HttpStatusCode.OK, council.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byTeam.StatusCode);
    }

    [Fact]
    public async Task Get_WrongOrRevokedKey_IsUnauthorized()
    {
        var store = fixture.Keys;
        var (record, key) = store.Issue("analyst", "938", null, null, "test: revoked", DateTimeOffset.UtcNow);
        var http = fixture.HttpWithToken(null);
        using var before = await http.GetAsync($"/api/v1/moderation?api_key={Uri.EscapeDataString(key)}");
        var tampered = key[..^2] + (key[^2] == 'A' ? "BB" : "AA");

        using var wrong = await http.GetAsync($"/api/v1/moderation?api_key={Uri.EscapeDataString(tampered)}");
        Assert.True(store.Revoke(record.Id, DateTimeOffset.UtcNow));
        using var after = await http.GetAsync($"/api/v1/moderation?api_key={Uri.EscapeDataString(key)}");
        using var none = await http.GetAsync("/api/v1/moderation");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task AccessLog_NamesTheKeyId_NeverTheKey()
    {
        var (record, key) = fixture.Keys.Issue("director", "938", null, null, "test: log", DateTimeOffset.UtcNow);
        var http = fixture.HttpWithToken(null);

        using var ok = await http.GetAsync($"/api/v1/audit-compliance?grain=year&api_key={Uri.EscapeDataString(key)}");
        using var denied = await http.GetAsync($"/api/v1/audit-compliance?la_code=846&api_key={Uri.EscapeDataString(key)}");
        using var bad = await http.GetAsync($"/api/v1/audit-compliance?api_key={Uri.EscapeDataString(key + "x")}");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var lines = fixture.Log.Lines.Select(l => l.Text).ToList();
        Assert.Contains(lines, l => l.StartsWith($"Access: key:{record.Id} (director) GetAuditCompliance (HTTP) asked", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Access denied: key:{record.Id} (director)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"Refused an API key: id {record.Id}", StringComparison.Ordinal));
        var secret = key[$"{ApiKeyStore.Prefix}{record.Id}_".Length..];  // all after "qak_<id>_": base64url may hold '_' itself
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal));
        // The file beside the database holds the hash, not the key.
        var file = await File.ReadAllTextAsync(fixture.Keys.Path);
        Assert.DoesNotContain(secret, file, StringComparison.Ordinal);
        Assert.Contains(ApiKeyStore.Hash(key), file, StringComparison.Ordinal);
    }
}
