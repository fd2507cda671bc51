using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Service;
using QaAnalytics.Service.Client;
using QaAnalytics.Tests.Loading;

namespace QaAnalytics.Tests.Service;

/// <summary>
/// The service in-process (TestServer) over the hand-made dataset loaded by the real loader, with a
/// gRPC client over the test server's HTTP/2 handler. Suppression is a parameter so figures can
/// be checked both raw and as published.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    private readonly TestFiles _files = new();
    private readonly List<IDisposable> _owned = [];

    public string DbPath => _files.DbPath;

    public async Task InitializeAsync()
    {
        Write(_files);
        var report = await new Loader(Pseudonymiser.Demo(), new FixedTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero)))
            .LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        Assert.False(report.Failed);
    }

    /// <summary>The input files to load: the hand-made dataset.</summary>
    protected virtual void Write(TestFiles files) => HandMadeDataset.WriteAll(files);

    /// <summary>A client to a service instance with the given suppression threshold.</summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Client(int suppressBelowOrAt) => new(Channel(suppressBelowOrAt));

    /// <summary>A channel to a service instance with the given suppression threshold (for calls made from descriptors).</summary>
    public GrpcChannel Channel(int suppressBelowOrAt)
    {
        var factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
            web.UseSetting("QaAnalytics:SuppressBelowOrAt", suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        _owned.Add(channel);
        _owned.Add(factory);
        return channel;
    }

    public Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
        _files.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The hand-made dataset with re-audits of its Inadequate audits (<see cref="HandMadeDataset.AuditsWithReAudits"/>).</summary>
public sealed class ReAuditFixture : ServiceFixture
{
    protected override void Write(TestFiles files) => HandMadeDataset.WriteAll(files).Write("audits.csv", HandMadeDataset.AuditsWithReAudits);
}

/// <summary>Reads a streamed result back through the .NET client helper (Apache.Arrow's IPC reader underneath).</summary>
public static class ArrowClient
{
    public static Task<List<DecodedTable>> ReadAsync(AsyncServerStreamingCall<ArrowChunk> call) => ArrowChunkReader.ReadAsync(call);
}
