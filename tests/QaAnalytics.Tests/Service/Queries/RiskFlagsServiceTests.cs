using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;

namespace QaAnalytics.Tests.Service.Queries;

/// <summary>GetRiskFlags and the catalogue's risk_model table over the scored sample snapshot, in-process.</summary>
[Collection(RiskCollection.Name)]
public sealed class RiskFlagsServiceTests(RiskDataFixture data) : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseSetting("QaAnalytics:DatabasePath", data.DbPath);
        web.UseSetting("QaAnalytics:Auth:Mode", "Development");
        web.UseSetting("QaAnalytics:SuppressBelowOrAt", "5");
    });

    private Contracts.V1.QaAnalytics.QaAnalyticsClient Client() =>
        new(GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() }));

    [Fact]
    public async Task GetRiskFlags_LatestQuarterHighBand_FlagsWithReasonsAndModelVersion()
    {
        var latest = data.Rows.Max(r => r.QuarterStart);
        var request = new RiskFlagsRequest { Period = new PeriodRange { FromMonth = latest.ToString("yyyy-MM"), ToMonth = latest.AddMonths(2).ToString("yyyy-MM") } };
        request.Bands.Add("high");

        var table = (await ArrowClient.ReadAsync(Client().GetRiskFlags(request))).Single();

        Assert.Equal("risk_flags", table.Metadata.Table);
        var expected = data.Model.Score(data.Rows).Count(f => f.QuarterStart == latest && f.Band == "high");
        Assert.Equal(expected, table.Rows.Count);
        Assert.NotEmpty(table.Rows);
        Assert.All(table.Rows, r =>
        {
            Assert.Equal("high", r["band"]);
            Assert.Equal(data.Model.Metadata.ModelVersion, r["model_version"]);
            Assert.True((double)r["probability"]! >= data.Model.Metadata.Bands.High);
        });
        Assert.Contains(table.Rows, r => r["drivers_pressure"] is string { Length: > 0 });
        // The verdict comes first, before anything about a flag.
        Assert.Equal("Verdict of the backtest: " + data.Model.Metadata.Evaluation.Verdict, table.Metadata.Notes[0]);
        Assert.Equal(table.Rows.Select(r => (double)r["probability"]!).OrderDescending(), table.Rows.Select(r => (double)r["probability"]!));
        Assert.Contains(table.Metadata.Notes, n => n.Contains("never an automatic decision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRiskFlags_OneTeamAllQuarters_EveryQuarterOnce()
    {
        var team = data.Rows[0].TeamId;
        var request = new RiskFlagsRequest { Scope = new Scope() };
        request.Scope.TeamIds.Add(team);

        var table = (await ArrowClient.ReadAsync(Client().GetRiskFlags(request))).Single();

        Assert.Equal(data.Rows.Where(r => r.TeamId == team).Select(r => r.Quarter), table.Rows.Select(r => (string?)r["period"]));
    }

    [Fact]
    public async Task GetRiskFlags_UnknownBand_InvalidArgumentNamingTheField()
    {
        var request = new RiskFlagsRequest();
        request.Bands.Add("amber");

        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(Client().GetRiskFlags(request)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("bands", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCatalogue_ScoredSnapshot_HasRiskModelWithBacktestMetrics()
    {
        var tables = await ArrowClient.ReadAsync(Client().GetCatalogue(new CatalogueRequest()));

        var model = tables.Single(t => t.Metadata.Table == "risk_model").Rows.Single();
        Assert.Equal(data.Model.Metadata.ModelVersion, model["model_version"]);
        Assert.Equal(data.Model.Metadata.Evaluation.Model.PrAuc, model["model_pr_auc"]);
        Assert.Equal(data.Model.Metadata.Evaluation.Baseline.PrAuc, model["baseline_pr_auc"]);
        Assert.Equal(true, model["beats_baseline"]);
    }

    [Fact]
    public async Task GetRiskFlags_ByRole_OnlyTheFlagsOfWhatTheCallerMaySee()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", data.DbPath);
            foreach (var (key, value) in TestTokens.Settings) web.UseSetting(key, value);
        });
        var first = data.Rows[0];
        var other = data.Rows.First(r => r.TeamId != first.TeamId && r.ServiceArea == first.ServiceArea);

        async Task<List<Dictionary<string, object?>>> Flags(string token, Scope? scope = null)
        {
            var handler = factory.Server.CreateHandler();
            using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
            var headers = new Metadata { { "Authorization", "Bearer " + token } };
            return (await ArrowClient.ReadAsync(new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel).GetRiskFlags(new RiskFlagsRequest { Scope = scope }, headers))).Single().Rows;
        }

        var teamManager = await Flags(TestTokens.For("team_manager", first.LaCode, teamId: first.TeamId));
        var serviceManager = await Flags(TestTokens.For("service_manager", first.LaCode, serviceArea: first.ServiceArea));
        var director = await Flags(TestTokens.For("director", first.LaCode));

        Assert.Equal(data.Rows.Count(r => r.TeamId == first.TeamId), teamManager.Count);
        Assert.All(teamManager, r => Assert.Equal(first.TeamId, r["team_id"]));
        Assert.Equal(data.Rows.Count(r => r.LaCode == first.LaCode && r.ServiceArea == first.ServiceArea), serviceManager.Count);
        Assert.Equal(data.Rows.Count(r => r.LaCode == first.LaCode), director.Count);
        var ex = await Assert.ThrowsAsync<RpcException>(() => Flags(TestTokens.For("team_manager", first.LaCode, teamId: first.TeamId), new Scope { TeamIds = { other.TeamId } }));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        ex = await Assert.ThrowsAsync<RpcException>(() => Flags(TestTokens.For("regional_partner")));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>A snapshot nobody has scored answers GetRiskFlags with what to run.</summary>
public sealed class RiskFlagsNotScoredTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task GetRiskFlags_SnapshotWithoutFlags_NotFoundSayingWhatToRun()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Client(0).GetRiskFlags(new RiskFlagsRequest())));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("qa-ingest model score", ex.Status.Detail, StringComparison.Ordinal);
    }
}
