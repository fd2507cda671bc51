using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Service;

namespace QaAnalytics.Tests.Service;

public sealed class HealthTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Health_WithAPublishedSnapshot_IsServing()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseSetting("QaAnalytics:DatabasePath", fixture.DbPath).UseSetting("QaAnalytics:Auth:Mode", "Development"));
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public void StartUp_WithoutADatabase_FailsWithAMessageSayingWhatToRun()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseSetting("QaAnalytics:DatabasePath", "/nonexistent/qa.duckdb").UseSetting("QaAnalytics:Auth:Mode", "Development"));
        Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        // What the process prints (one line, exit 3: ServiceStartupTests runs the built service for that).
        var result = new ServiceOptionsValidator().Validate(null, new ServiceOptions { DatabasePath = "/nonexistent/qa.duckdb" });
        Assert.True(result.Failed);
        Assert.Contains("there is no published database at /nonexistent/qa.duckdb", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("qa-ingest load", result.FailureMessage, StringComparison.Ordinal);
    }
}
