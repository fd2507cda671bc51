using Apache.Arrow;
using Apache.Arrow.Ipc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Service;
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
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Client(int suppressBelowOrAt)
    {
        var factory = new WebApplicationFactory<ServiceOptions>().WithWebHostBuilder(web =>
        {
            web.UseSetting("QaAnalytics:DatabasePath", _files.DbPath);
            web.UseSetting("QaAnalytics:SuppressBelowOrAt", suppressBelowOrAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        _owned.Add(channel);
        _owned.Add(factory);
        return new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
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

/// <summary>Reads a streamed result back: metadata per table and the Arrow rows decoded by Apache.Arrow's reader.</summary>
public static class ArrowClient
{
    public sealed record Table(ResultMetadata Metadata, List<Dictionary<string, object?>> Rows);

    public static async Task<List<Table>> ReadAsync(AsyncServerStreamingCall<ArrowChunk> call)
    {
        var tables = new List<(ResultMetadata Metadata, MemoryStream Bytes)>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            if (chunk.Metadata is not null) tables.Add((chunk.Metadata, new MemoryStream()));
            chunk.ArrowIpcChunk.WriteTo(tables[^1].Bytes);
        }
        var result = new List<Table>();
        foreach (var (metadata, bytes) in tables)
        {
            bytes.Position = 0;
            using var reader = new ArrowStreamReader(bytes);
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadNextRecordBatchAsync() is { } batch)
            {
                using (batch)
                {
                    for (var r = 0; r < batch.Length; r++)
                    {
                        var row = new Dictionary<string, object?>();
                        for (var c = 0; c < batch.ColumnCount; c++) row[batch.Schema.GetFieldByIndex(c).Name] = Value(batch.Column(c), r);
                        rows.Add(row);
                    }
                }
            }
            result.Add(new Table(metadata, rows));
        }
        return result;
    }

    private static object? Value(IArrowArray array, int index) => array.IsNull(index) ? null : array switch
    {
        StringArray s => s.GetString(index),
        Int64Array i => i.GetValue(index),
        Int32Array i => i.GetValue(index),
        DoubleArray d => d.GetValue(index),
        BooleanArray b => b.GetValue(index),
        Date32Array d => d.GetDateOnly(index),
        _ => array.GetType().Name,
    };
}
