using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>
/// The hand-made dataset with team T1's name starting with a formula (<c>=1+2</c>), so a CSV export
/// that does not neutralise it would hand a spreadsheet a formula to run.
/// </summary>
public sealed class ApiFixture : ServiceFixture
{
    public const string FormulaTeamName = "=1+2 Assessment East";

    private HttpClient? _http;
    private Grpc.Net.Client.GrpcChannel? _channel;

    /// <summary>One HTTP client to one Development-mode instance (suppression 5), shared by the tests of a class.</summary>
    public HttpClient Api => _http ??= Http(suppressBelowOrAt: 5);

    /// <summary>A gRPC channel to another Development-mode instance with the same settings (no result cache shared with <see cref="Api"/>).</summary>
    public Grpc.Net.Client.GrpcChannel Rpc => _channel ??= Channel(suppressBelowOrAt: 5, instance: "rpc");

    protected override void Write(TestFiles files) => HandMadeDataset.WriteAll(files)
        .Write("teams.csv", HandMadeDataset.Teams.Replace("Assessment East", FormulaTeamName, StringComparison.Ordinal));
}

/// <summary>Calls an RPC by name through the contract's descriptors (the same request message an HTTP result is bound into).</summary>
public static class RpcByName
{
    public static async Task<List<DecodedTable>> CallAsync(CallInvoker invoker, string rpc, IMessage request)
    {
        var method = QaAnalytics.Contracts.V1.QaAnalytics.Descriptor.FindMethodByName(rpc) ?? throw new ArgumentException($"no RPC {rpc}", nameof(rpc));
        var call = new Method<IMessage, ArrowChunk>(MethodType.ServerStreaming, method.Service.FullName, method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), method.InputType.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), ArrowChunk.Parser.ParseFrom));
        return await ArrowChunkReader.ReadAsync(invoker.AsyncServerStreamingCall(call, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60)), request));
    }

    public static MessageDescriptor InputOf(string rpc) => QaAnalytics.Contracts.V1.QaAnalytics.Descriptor.FindMethodByName(rpc).InputType;
}
