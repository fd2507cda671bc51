using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Http;

namespace QaAnalytics.Service.OData;

/// <summary>
/// One OData entity set: a published result already at one organisation level and time grain
/// (<c>GradeDistributionByTeamQuarter</c>). Power BI's OData connector folds filters, column
/// choice and top/skip, but not grouping or function parameters, so each grain people ask for is
/// a set of its own; the catalogue's tables, the risk flags (team × financial quarter) are one set
/// each. <see cref="Parameters"/> are the request fields the grain fixes, bound like an
/// <c>/api/v1</c> query string, so a set runs exactly the RPC request <c>/api/v1</c> would.
/// </summary>
public sealed record ODataEntitySet(string Name, string TypeName, ApiResult Result, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The grain this set is at, for period dates (null: the result has no period).</summary>
    public TimeGrain? Grain { get; init; }

    private static readonly (string Name, string Parameter)[] Levels = [("Council", "council"), ("ServiceArea", "service_area"), ("Team", "team")];

    private static readonly (string Name, string Parameter, TimeGrain Grain)[] Grains =
        [("Month", "month", TimeGrain.Month), ("Quarter", "quarter", TimeGrain.FinancialQuarter), ("Year", "year", TimeGrain.FinancialYear)];

    private static readonly (string Path, string Name)[] Grained =
    [
        ("grade-distribution", "GradeDistribution"), ("moderation", "Moderation"), ("audit-compliance", "AuditCompliance"),
        ("inadequate-follow-up", "InadequateFollowUp"), ("complaints", "Complaints"), ("kpi-trend", "KpiTrend"),
        ("triangulation", "Triangulation"), ("theme-correlation", "ThemeCorrelation"),
    ];

    /// <summary>Every entity set, by name.</summary>
    public static readonly IReadOnlyDictionary<string, ODataEntitySet> All = List().ToDictionary(s => s.Name, StringComparer.Ordinal);

    private static IEnumerable<ODataEntitySet> List()
    {
        foreach (var (path, name) in Grained)
        {
            foreach (var level in Levels)
            {
                foreach (var grain in Grains)
                {
                    yield return new ODataEntitySet($"{name}By{level.Name}{grain.Name}", $"{name}By{level.Name}", ApiResult.All[path],
                        new Dictionary<string, string> { ["group_by"] = level.Parameter, ["grain"] = grain.Parameter }) { Grain = grain.Grain };
                }
            }
        }
        yield return new ODataEntitySet("RiskFlags", "RiskFlag", ApiResult.All["risk-flags"], new Dictionary<string, string>()) { Grain = TimeGrain.FinancialQuarter };
        foreach (var (path, name) in new[] { ("teams", "Teams"), ("periods", "Periods"), ("kpis", "Kpis"), ("measures", "Measures"), ("risk-model", "RiskModel") })
        {
            yield return new ODataEntitySet(name, name + "Row", ApiResult.All["catalogue/" + path], new Dictionary<string, string>());
        }
    }
}
