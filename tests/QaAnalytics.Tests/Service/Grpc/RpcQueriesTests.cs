using System.Reflection;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Grpc;

// In Service/, not Service/Grpc/: a namespace QaAnalytics.Tests.Service.Grpc would hide the Grpc.* packages from the other tests.
namespace QaAnalytics.Tests.Service.Grpc;

/// <summary>Every method of the proto service has its question in <see cref="RpcQueries"/> and its override in <see cref="QaAnalyticsService"/>.</summary>
public sealed class RpcQueriesTests
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Contract = QaAnalyticsReflection.Descriptor.Services.Single();

    [Fact]
    public void RpcQueries_OneRowPerProtoMethod_WithItsRequestType()
    {
        Assert.Equal(Contract.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), RpcQueries.All.Keys.Order(StringComparer.Ordinal));
        foreach (var method in Contract.Methods)
        {
            Assert.Equal(method.InputType.FullName, RpcQueries.All[method.Name].NewRequest().Descriptor.FullName);
        }
    }

    [Fact]
    public void Service_OverridesEveryProtoMethod()
    {
        var overridden = typeof(QaAnalyticsService).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetBaseDefinition().DeclaringType != m.DeclaringType)
            .Select(m => m.Name);

        Assert.Equal(Contract.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), overridden.Order(StringComparer.Ordinal));
    }
}
