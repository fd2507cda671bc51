using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Tests.Service.Security;

/// <summary>Configured signing keys: PEM public keys (what an identity provider publishes) and shared secrets, checked at start-up.</summary>
public sealed class SigningKeyTests(TwoCouncilFixture fixture) : IClassFixture<TwoCouncilFixture>
{
    [Fact]
    public void Parse_RsaAndEcPublicKeysAndLongSecrets_AreKeys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.IsType<RsaSecurityKey>(SigningKeyParser.Parse(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.IsType<ECDsaSecurityKey>(SigningKeyParser.Parse(ec.ExportSubjectPublicKeyInfoPem()));
        Assert.IsType<SymmetricSecurityKey>(SigningKeyParser.Parse(Convert.ToBase64String(new byte[32])));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("short")]
    [InlineData("junk")]
    public void Parse_PrivateKeysShortSecretsAndJunk_AreRefused(string kind)
    {
        using var rsa = RSA.Create(2048);
        var text = kind switch
        {
            "private" => rsa.ExportPkcs8PrivateKeyPem(),
            "short" => Convert.ToBase64String(new byte[16]),
            _ => "not a key",
        };

        Assert.Throws<FormatException>(() => SigningKeyParser.Parse(text));
    }

    [Fact]
    public async Task RsaSignedToken_FromTheConfiguredPublicKey_IsAccepted_AndOneSignedByAnotherKeyIsNot()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath);
            foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
            web.UseSetting("QaAnalytics:Auth:SigningKeys:0", rsa.ExportSubjectPublicKeyInfoPem());
        });
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

        Task<List<QaAnalytics.Testing.Client.DecodedTable>> Call(RSA key)
        {
            var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = TestTokens.Issuer,
                Audience = TestTokens.Audience,
                Subject = new System.Security.Claims.ClaimsIdentity([new("sub", "rs-1"), new("qa_role", "director"), new("la_code", "938")]),
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(key.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
            });
            return ArrowClient.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest(), new Metadata { { "Authorization", "Bearer " + token } }));
        }

        Assert.NotEmpty((await Call(rsa)).Single().Rows);
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call(other));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public void StartUp_WithAPrivateKeyConfigured_FailsNamingTheSetting()
    {
        using var rsa = RSA.Create(2048);
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath);
            foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
            web.UseSetting("QaAnalytics:Auth:SigningKeys:0", rsa.ExportPkcs8PrivateKeyPem());
        });

        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("QaAnalytics:Auth:SigningKeys:0: is a private key", ex.ToString());
    }
}
