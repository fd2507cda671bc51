using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Service;

namespace QaAnalytics.Tests.Service;

public sealed class HealthTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Health_WithAPublishedSnapshot_IsServing()
    {
        using var factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web => web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath).UseSetting("QaAnalytics:Auth:Mode", "Development"));
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public void StartUp_WithoutADatabase_FailsWithAMessageSayingWhatToRun()
    {
        using var factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web => web.UseSetting("QaAnalytics:DatabasePath", "/nonexistent/qa.duckdb").UseSetting("QaAnalytics:Auth:Mode", "Development"));
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("qa-ingest load", ex.ToString());
    }
}
