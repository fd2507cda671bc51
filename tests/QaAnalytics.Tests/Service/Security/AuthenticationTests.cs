using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>Bearer JWT validation, the claims a role needs, what stays open without a token, Development mode and the access log.</summary>
public sealed class AuthenticationTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>
{
    public static TheoryData<string> Rpcs() => [.. AccessControlTests.Rpcs];

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task EveryRpc_WithoutAToken_IsUnauthenticated(string rpc)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => AccessControlTests.Call(fixture.ClientWithToken(null), rpc));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    public static TheoryData<string> BadTokens() => new()
    {
        "wrong-key", "wrong-issuer", "wrong-audience", "expired", "garbage", "unsigned",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Token_ThatDoesNotValidate_IsUnauthenticated(string kind)
    {
        var token = kind switch
        {
            "wrong-key" => TestTokens.For("director", "938", key: Enumerable.Repeat((byte)1, 32).ToArray()),
            "wrong-issuer" => TestTokens.For("director", "938", issuer: "https://someone-else.invalid/"),
            "wrong-audience" => TestTokens.For("director", "938", audience: "another-service"),
            "expired" => TestTokens.For("director", "938", expires: DateTime.UtcNow.AddHours(-1)),
            "unsigned" => Unsigned(TestTokens.For("director", "938")),
            _ => "not.a.jwt",
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => AccessControlTests.Call(fixture.ClientWithToken(token), "GetGradeDistribution"));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);

        // The same claims with the signature stripped (alg none) must not pass either.
        static string Unsigned(string jwt)
        {
            var parts = jwt.Split('.');
            var header = Convert.ToBase64String("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return $"{header}.{parts[1]}.";
        }
    }

    public static TheoryData<string> IncompleteClaims() => new()
    {
        "no-role", "unknown-role", "director-without-council", "service-manager-without-area", "team-manager-without-team",
    };

    [Theory]
    [MemberData(nameof(IncompleteClaims))]
    public async Task ValidToken_WithoutACompleteRole_IsPermissionDenied(string kind)
    {
        var token = kind switch
        {
            "no-role" => TestTokens.For(""),
            "unknown-role" => TestTokens.For("superuser", "938"),
            "director-without-council" => TestTokens.For("director"),
            "service-manager-without-area" => TestTokens.For("service_manager", "938"),
            _ => TestTokens.For("team_manager", "938"),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => AccessControlTests.Call(fixture.ClientWithToken(token), "GetGradeDistribution"));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task HealthAndReflection_StayOpenWithoutAToken()
    {
        using var factory = JwtFactory(null);
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "qaanalytics.v1.QaAnalytics");
    }

    [Fact]
    public void StartUp_InJwtModeWithoutIssuer_FailsSayingWhatToSet()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath));

        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("QaAnalytics:Auth:Issuer", ex.ToString());
        Assert.Contains("Mode=Development", ex.ToString());
    }

    [Fact]
    public void StartUp_InDevelopmentMode_LogsAWarningNamingTheIdentity()
    {
        var log = new ListLogger();
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath);
            web.UseSetting("QaAnalytics:Auth:Mode", "Development");
            web.ConfigureLogging(l => l.AddProvider(log));
        });

        _ = factory.Server;

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("DEVELOPMENT AUTHENTICATION", StringComparison.Ordinal)
            && l.Text.Contains("development (director of every council)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessLog_SaysWhoAskedForWhatAndWhatTheyGot_NeverAChildId()
    {
        var log = new ListLogger();
        using var factory = JwtFactory(log);
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var headers = new Metadata { { "Authorization", "Bearer " + TestTokens.For("team_manager", "938", teamId: "T1", subject: "tm-42") } };

        var table = (await ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Grain = TimeGrain.All }, headers))).Single();
        await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(
            new GradeDistributionRequest { Scope = new Scope { TeamIds = { "T2" } } }, headers)));

        var access = Assert.Single(log.Lines, l => l.Text.StartsWith("Access: ", StringComparison.Ordinal));
        Assert.Equal($"Access: tm-42 (team_manager) GetGradeDistribution asked group_by=default; applied group_by=team la_codes=[938] team_ids=[T1] exact; {table.Metadata.RowCount} row(s)", access.Text);
        var denied = Assert.Single(log.Lines, l => l.Text.StartsWith("Access denied: ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, denied.Level);
        Assert.Contains("tm-42 (team_manager) GetGradeDistribution asked group_by=default team_ids=[T2]: team T2 is not the caller's team", denied.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Text.Contains("CHILD-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AccessLog_HostileValues_AreEscapedAndCapped()
    {
        var log = new ListLogger();
        using var factory = JwtFactory(log);
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        // A subject that tries to forge a second line, and a request of 100 long ids (the most a list may hold).
        var headers = new Metadata { { "Authorization", "Bearer " + TestTokens.For("team_manager", "938", teamId: "T1", subject: "tm-1\nAccess: x (director) Query; 999 row(s)") } };
        var ids = Enumerable.Range(0, 100).Select(i => $"T{i}-" + new string('x', 190)).ToList();

        await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Scope = new Scope { TeamIds = { ids } } }, headers)));
        var nul = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Scope = new Scope { TeamIds = { "T1\u0000junk" } } }, headers)));
        var many = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Scope = new Scope { LaCodes = { Enumerable.Range(0, 50_000).Select(i => i.ToString()) } } }, headers)));

        Assert.Equal(StatusCode.InvalidArgument, nul.StatusCode);
        Assert.Contains("scope.team_ids", nul.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, many.StatusCode);
        Assert.StartsWith("scope.la_codes: at most 100 values", many.Status.Detail, StringComparison.Ordinal);
        var denied = Assert.Single(log.Lines, l => l.Text.StartsWith("Access denied: ", StringComparison.Ordinal));
        Assert.StartsWith(@"Access denied: tm-1\nAccess: x (director)", denied.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Text.Contains('\n') || l.Text.Contains('\u0000'));
        Assert.InRange(denied.Text.Length, 100, 6000);
    }

    private WebApplicationFactory<Program> JwtFactory(ListLogger? log) => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath);
        foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
        if (log is not null) web.ConfigureLogging(l => l.AddProvider(log));
    });
}
