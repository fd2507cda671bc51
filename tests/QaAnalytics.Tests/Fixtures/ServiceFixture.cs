using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Fixtures;

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

    private readonly Dictionary<string, (WebApplicationFactory<Program> Factory, GrpcChannel Channel, HttpClient Http)> _instances = [];

    /// <summary>
    /// A client to a service instance with the given suppression threshold, in Development
    /// authentication mode: every call is a director of every council, without a token.
    /// </summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Client(int suppressBelowOrAt) => new(Channel(suppressBelowOrAt));

    /// <summary>
    /// The channel to the Development-mode instance with the given suppression threshold and settings
    /// (for calls made from descriptors). <paramref name="instance"/> names a second instance with the
    /// same settings, for tests that compare two edges and must not share a result cache.
    /// </summary>
    public GrpcChannel Channel(int suppressBelowOrAt, string instance = "") => DevelopmentInstance(suppressBelowOrAt, null, instance).Channel;

    /// <summary>The channel to the Development-mode instance with the given suppression threshold and settings.</summary>
    public GrpcChannel Channel(int suppressBelowOrAt, IReadOnlyDictionary<string, string> settings) => DevelopmentInstance(suppressBelowOrAt, settings, "").Channel;

    /// <summary>An HTTP client (/api/v1, /odata) to the Development-mode instance with the given suppression threshold and settings.</summary>
    public HttpClient Http(int suppressBelowOrAt, IReadOnlyDictionary<string, string>? settings = null) => DevelopmentInstance(suppressBelowOrAt, settings, "").Http;

    /// <summary>
    /// One in-process host per (threshold, settings, instance), built on first use and shared by
    /// every later call: building a host (DI, Kestrel-less TestServer, snapshot open) is the slow part.
    /// </summary>
    private (WebApplicationFactory<Program> Factory, GrpcChannel Channel, HttpClient Http) DevelopmentInstance(
        int suppressBelowOrAt, IReadOnlyDictionary<string, string>? settings, string instance)
    {
        var key = string.Join("\n", new[] { instance, suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Concat((settings ?? new Dictionary<string, string>()).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value)));
        lock (_owned)
        {
            if (_instances.TryGetValue(key, out var existing)) return existing;
            var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
                web.UseSetting("QaAnalytics:SuppressBelowOrAt", suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                web.UseSetting("QaAnalytics:Auth:Mode", "Development");
                foreach (var (name, value) in settings ?? new Dictionary<string, string>()) web.UseSetting(name, value);
            });
            var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
            var http = factory.CreateClient();
            _owned.Add(factory);
            _owned.Add(channel);
            _owned.Add(http);
            return _instances[key] = (factory, channel, http);
        }
    }

    private readonly Dictionary<int, WebApplicationFactory<Program>> _jwtFactories = [];

    /// <summary>
    /// A client to a service instance in JWT mode (one instance per threshold, shared), sending
    /// <paramref name="token"/> as its bearer token (none when null).
    /// </summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient ClientWithToken(string? token, int suppressBelowOrAt = 5)
    {
        var handler = new BearerHandler(token) { InnerHandler = JwtFactory(suppressBelowOrAt).Server.CreateHandler() };
        var channel = GrpcChannel.ForAddress(JwtFactory(suppressBelowOrAt).Server.BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
        lock (_owned) _owned.Add(channel);
        return new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
    }

    /// <summary>An HTTP client to the JWT-mode service instance, sending <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient HttpWithToken(string? token, int suppressBelowOrAt = 5)
    {
        var factory = JwtFactory(suppressBelowOrAt);
        var client = new HttpClient(new BearerHandler(token) { InnerHandler = factory.Server.CreateHandler() }) { BaseAddress = factory.Server.BaseAddress };
        lock (_owned) _owned.Add(client);
        return client;
    }

    private WebApplicationFactory<Program> JwtFactory(int suppressBelowOrAt)
    {
        WebApplicationFactory<Program> factory;
        lock (_owned)
        {
            if (!_jwtFactories.TryGetValue(suppressBelowOrAt, out factory!))
            {
                factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
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
