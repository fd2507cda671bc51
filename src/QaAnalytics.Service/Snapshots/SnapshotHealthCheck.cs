using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QaAnalytics.Service.Snapshots;

/// <summary>Healthy while the published snapshot can be opened; says which snapshot is served.</summary>
public sealed class SnapshotHealthCheck(SnapshotSource snapshots) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var snapshot = snapshots.Current();
            return Task.FromResult(HealthCheckResult.Healthy($"serving snapshot {snapshot.Id}"));
        }
        catch (Exception ex) when (ex is IOException or DuckDB.NET.Data.DuckDBException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the published database cannot be opened", ex));
        }
    }
}
