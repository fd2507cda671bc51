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

    /// <summary>
    /// A client to a service instance with the given suppression threshold, in Development
    /// authentication mode: every call is a director of every council, without a token.
    /// </summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Client(int suppressBelowOrAt) => new(Channel(suppressBelowOrAt));

    /// <summary>A channel to a service instance with the given suppression threshold (for calls made from descriptors).</summary>
    public GrpcChannel Channel(int suppressBelowOrAt, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = DevelopmentFactory(suppressBelowOrAt, settings);
        var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        _owned.Add(channel);
        return channel;
    }

    /// <summary>An HTTP client (/api/v1, /odata) to a Development-mode service instance with the given suppression threshold.</summary>
    public HttpClient Http(int suppressBelowOrAt, IReadOnlyDictionary<string, string>? settings = null)
    {
        var client = DevelopmentFactory(suppressBelowOrAt, settings).CreateClient();
        _owned.Add(client);
        return client;
    }

    private WebApplicationFactory<ServiceOptions> DevelopmentFactory(int suppressBelowOrAt, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
            web.UseSetting("QaAnalytics:SuppressBelowOrAt", suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("QaAnalytics:Auth:Mode", "Development");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) web.UseSetting(key, value);
        });
        _owned.Add(factory);
        return factory;
    }

    private readonly Dictionary<int, WebApplicationFactory<ServiceOptions>> _jwtFactories = [];

    /// <summary>
    /// A client to a service instance in JWT mode (one instance per threshold, shared), sending
    /// <paramref name="token"/> as its bearer token (none when null).
    /// </summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient ClientWithToken(string? token, int suppressBelowOrAt = 5)
    {
        var handler = new BearerHandler(token) { InnerHandler = JwtFactory(suppressBelowOrAt).Server.CreateHandler() };
        var channel = GrpcChannel.ForAddress(JwtFactory(suppressBelowOrAt).Server.BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
        lock (_jwtFactories) _owned.Add(channel);
        return new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
    }

    /// <summary>An HTTP client to the JWT-mode service instance, sending <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient HttpWithToken(string? token, int suppressBelowOrAt = 5)
    {
        var factory = JwtFactory(suppressBelowOrAt);
        var client = new HttpClient(new BearerHandler(token) { InnerHandler = factory.Server.CreateHandler() }) { BaseAddress = factory.Server.BaseAddress };
        lock (_jwtFactories) _owned.Add(client);
        return client;
    }

    private WebApplicationFactory<ServiceOptions> JwtFactory(int suppressBelowOrAt)
    {
        WebApplicationFactory<ServiceOptions> factory;
        lock (_jwtFactories)
        {
            if (!_jwtFactories.TryGetValue(suppressBelowOrAt, out factory!))
            {
                factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web =>
                {
                    web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
                    web.UseSetting("QaAnalytics:SuppressBelowOrAt", suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
                    ConfigureJwtService(web);
                });
                _jwtFactories[suppressBelowOrAt] = factory;
                _owned.Add(factory);
            }
        }
        return factory;
    }

    /// <summary>A hook for the JWT-mode service (e.g. to capture its log).</summary>
    protected virtual void ConfigureJwtService(IWebHostBuilder web)
    {
    }

    /// <summary>Adds the bearer token to every request (what a real client's call credentials do).</summary>
    private sealed class BearerHandler(string? token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
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
