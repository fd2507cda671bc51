using System.Net;
using System.Text.Json;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Grpc.Core;
using Microsoft.AspNetCore.WebUtilities;
using QaAnalytics.Service.Http;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Service.Http;

/// <summary>
/// Issue 11 §3: <c>GET /api/v1/&lt;result&gt;</c> answers what the matching RPC answers — the same
/// request message, the same query layer — as Arrow, CSV, Parquet or JSON.
/// </summary>
public sealed class ApiV1Tests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string ByTeamAndYear = "group_by=team&grain=year&from=2021-04&to=2023-03";

    public static TheoryData<string> Paths() => [.. ApiResult.All.Keys];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Get_EveryResult_ArrowIsTheRpcTableCellForCell(string path)
    {
        var result = ApiResult.All[path];
        var query = QueryFor(result);
        var request = result.NewRequest();
        ApiRequestBinder.Bind(request, QueryHelpers.ParseQuery(query));
        List<DecodedTable>? rpcTables = null;
        StatusCode? rpcStatus = null;
        try
        {
            rpcTables = await RpcByName.CallAsync(fixture.Rpc.CreateCallInvoker(), result.Rpc, request);
        }
        catch (RpcException ex)
        {
            rpcStatus = ex.StatusCode;
        }

        using var response = await fixture.Api.GetAsync($"/api/v1/{path}?{query}");

        var expected = rpcTables?.SingleOrDefault(t => t.Metadata.Table == result.Table);
        if (expected is null)
        {
            // Risk flags and the risk model need a scored snapshot; the hand-made one has none.
            Assert.True(rpcStatus is null or StatusCode.NotFound, $"{result.Rpc}: {rpcStatus}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("model score", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ResultFormats.ArrowMediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected.Metadata.SnapshotId, Header(response, "X-Snapshot-Id"));
        Assert.Equal(expected.Metadata.RowCount.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "X-Row-Count"));
        Assert.Equal(expected.Metadata.Notes, response.Headers.TryGetValues("X-Notes", out var notes) ? notes.Select(Uri.UnescapeDataString) : []);
        var rows = await DecodeArrow(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(expected.Rows.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++) Assert.Equal(expected.Rows[i], rows[i]);
    }

    [Fact]
    public async Task Get_GradeDistributionByTeam_HasRowsAndWithheldCellsAreNull()
    {
        var rows = await DecodeArrow(await fixture.Api.GetByteArrayAsync($"/api/v1/grade-distribution?{ByTeamAndYear}"));

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(r["team_id"], new object?[] { "T1", "T2" }));
        // The hand-made teams have 1–5 audits a year: withheld under the default threshold, as on gRPC.
        Assert.Contains(rows, r => r["audits"] is null && (bool)r["suppressed"]!);
    }

    [Fact]
    public async Task Get_Csv_IsTheSameTableWithFormulasNeutralised()
    {
        var arrow = await DecodeArrow(await fixture.Api.GetByteArrayAsync($"/api/v1/grade-distribution?{ByTeamAndYear}"));
        using var response = await fixture.Api.GetAsync($"/api/v1/grade-distribution?{ByTeamAndYear}&format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await ReadCsv(response);
        Assert.Equal(arrow[0].Keys, csv.Header);
        Assert.Equal(arrow.Count, csv.Rows.Count);
        Assert.All(csv.Column("team_name").Where(n => n.Contains("Assessment", StringComparison.Ordinal)),
            name => Assert.Equal("'" + ApiFixture.FormulaTeamName, name));
        Assert.DoesNotContain(csv.Rows.SelectMany(r => r), cell => cell.StartsWith('=') || cell.StartsWith('@') || cell.StartsWith('+'));
        for (var i = 0; i < arrow.Count; i++)
        {
            Assert.Equal(Cell(arrow[i]["audits"]), csv.Get(csv.Rows[i], "audits"));
            Assert.Equal(Cell(arrow[i]["effective_good_or_better_share"]), csv.Get(csv.Rows[i], "effective_good_or_better_share"));
            Assert.Equal(Cell(arrow[i]["period"]), csv.Get(csv.Rows[i], "period"));
        }

        static string Cell(object? value) => value switch
        {
            null => "",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
    }

    [Fact]
    public async Task Get_Parquet_ReadsBackInDuckDbWithTheArrowFigures()
    {
        var arrow = await DecodeArrow(await fixture.Api.GetByteArrayAsync($"/api/v1/grade-distribution?group_by=council&grain=month"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/grade-distribution?group_by=council&grain=month");
        request.Headers.Accept.ParseAdd(ResultFormats.ParquetMediaType);
        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ResultFormats.ParquetMediaType, response.Content.Headers.ContentType?.MediaType);
        using var files = new TestFiles();
        var file = Path.Combine(files.Root, "grades.parquet");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = "SELECT count(*), sum(audits), count(effective_good_or_better_share), sum(effective_good_or_better_share), " +
            "(SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet($f)) WHERE column_name = 'audits') FROM read_parquet($f)";
        cmd.Parameters.Add(new DuckDBParameter("f", file));
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(arrow.Count, reader.GetInt64(0));
        Assert.True(arrow.Count > 3);
        Assert.Equal(arrow.Sum(r => (long?)r["audits"] ?? 0), reader.IsDBNull(1) ? 0 : Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(arrow.Count(r => r["effective_good_or_better_share"] is not null), reader.GetInt64(2));
        Assert.Equal(arrow.Sum(r => (double?)r["effective_good_or_better_share"] ?? 0), reader.IsDBNull(3) ? 0 : reader.GetDouble(3), 12);
        Assert.Equal("BIGINT", reader.GetString(4));
    }

    [Fact]
    public async Task Get_Json_HasMetadataAndRows()
    {
        var arrow = await DecodeArrow(await fixture.Api.GetByteArrayAsync($"/api/v1/complaints?{ByTeamAndYear}"));
        using var json = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/v1/complaints?{ByTeamAndYear}&format=json"));

        Assert.Equal("complaints", json.RootElement.GetProperty("table").GetString());
        Assert.Equal(arrow.Count, json.RootElement.GetProperty("row_count").GetInt64());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(arrow.Count, rows.Count);
        Assert.Equal(arrow.Select(r => (string?)r["team_id"]), rows.Select(r => r.GetProperty("team_id").GetString()));
        Assert.NotEmpty(json.RootElement.GetProperty("notes").EnumerateArray());
    }

    [Theory]
    [InlineData("text/csv", "text/csv")]
    [InlineData("application/vnd.apache.arrow.stream", ResultFormats.ArrowMediaType)]
    [InlineData("application/json", "application/json")]
    [InlineData("application/xml;q=1, text/csv;q=0.5", "text/csv")]
    [InlineData("*/*", ResultFormats.ArrowMediaType)]
    public async Task Get_AcceptHeader_ChoosesTheFormat(string accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/moderation");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("grade-distribution?grain=fortnight", 400, "grain")]
    [InlineData("grade-distribution?group_by=worker", 400, "group_by")]
    [InlineData("grade-distribution?from=2022-13", 400, "period.from_month")]
    [InlineData("grade-distribution?colour=blue", 400, "colour")]
    [InlineData("grade-distribution?grain=year&grain=month", 400, "grain")]
    [InlineData("grade-distribution?audit_types=audit%27%3B%20DROP%20TABLE%20fact_audit", 400, "audit_types")]
    [InlineData("grade-distribution?format=xml", 400, "format")]
    [InlineData("triangulation?min_audits=many", 400, "min_audits")]
    [InlineData("grade-distribution?team_id=T99", 404, null)]
    [InlineData("no-such-result", 404, null)]
    public async Task Get_BadRequest_IsAProblemNamingTheField(string pathAndQuery, int status, string? field)
    {
        using var response = await fixture.Api.GetAsync("/api/v1/" + pathAndQuery);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        if (field is not null) Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Get_AcceptOfNoFormat_IsNotAcceptable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/moderation");
        request.Headers.Accept.ParseAdd("application/xml");
        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task GetIndex_ListsEveryResultWithItsParameters()
    {
        using var json = JsonDocument.Parse(await fixture.Api.GetStringAsync("/api/v1"));

        var paths = json.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Equal(ApiResult.All.Keys.Select(k => "/api/v1/" + k).Order(), paths.Order());
        var grades = json.RootElement.EnumerateArray().Single(e => e.GetProperty("path").GetString() == "/api/v1/grade-distribution");
        Assert.Equal(["la_code", "service_area", "team_id", "from", "to", "group_by", "grain", "audit_types", "format"],
            grades.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Get_WithoutAToken_IsUnauthorized()
    {
        using var response = await fixture.HttpWithToken(null).GetAsync("/api/v1/grade-distribution");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_TeamManager_SeesOwnTeamAndIsForbiddenOthers()
    {
        var http = fixture.HttpWithToken(TestTokens.For("team_manager", "938", "Assessment", "T1", subject: "tm-1"));

        var own = await DecodeArrow(await http.GetByteArrayAsync($"/api/v1/grade-distribution?grain=year"));
        using var other = await http.GetAsync("/api/v1/grade-distribution?team_id=T2");
        using var wider = await http.GetAsync("/api/v1/grade-distribution?group_by=council");

        Assert.NotEmpty(own);
        Assert.All(own, r => Assert.Equal("T1", r["team_id"]));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wider.StatusCode);
        Assert.Contains("T2", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The built service as its own process: gRPC (HTTP/2) and HTTP/1.1 on their two loopback ports at once.</summary>
    [Fact]
    public async Task Service_ServesGrpcAndHttp11OnTwoPorts()
    {
        var grpcPort = ServiceProcess.FreeLoopbackPort();
        var httpPort = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.Start(Path.Combine(AppContext.BaseDirectory, "qa-service.dll"), fixture.DbPath, grpcPort, out var log, httpPort);
        try
        {
            await ServiceProcess.WaitUntilServing(service, grpcPort, log, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            using var response = await http.GetAsync("/api/v1/catalogue/teams?format=csv");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpVersion.Version11, response.Version);
            var csv = await ReadCsv(response);
            Assert.Equal(["T1", "T2"], csv.Column("team_id").Order());
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    private static string QueryFor(ApiResult result)
    {
        var parameters = ApiRequestBinder.Parameters(result.NewRequest().Descriptor);
        var query = new List<string>();
        if (parameters.Contains("group_by")) query.Add("group_by=team");
        if (parameters.Contains("grain")) query.Add("grain=year");
        if (parameters.Contains("from")) query.Add("from=2021-04&to=2023-03");
        return string.Join('&', query);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static async Task<CsvTable> ReadCsv(HttpResponseMessage response)
    {
        using var files = new TestFiles();
        var path = Path.Combine(files.Root, "result.csv");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return SampleCsv.Read(path);
    }

    /// <summary>An Arrow IPC stream's rows, decoded with Apache.Arrow's reader.</summary>
    public static async Task<List<Dictionary<string, object?>>> DecodeArrow(byte[] bytes)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(bytes));
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var c = 0; c < batch.ColumnCount; c++) row[batch.Schema.GetFieldByIndex(c).Name] = QaAnalytics.Service.Arrow.ArrowRows.Value(batch.Column(c), r);
                    rows.Add(row);
                }
            }
        }
        return rows;
    }
}
