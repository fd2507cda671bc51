using System.Globalization;
using Google.Protobuf;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Gate;

/// <summary>
/// How costly a request is, estimated from the request alone before anything runs, so the query
/// gate can send it to the heavy lane: roughly the cells it computes, that is the organisation
/// units it groups (councils in scope, × 3 by service area, × 10 by team) × its periods (months
/// in the range at the grain; a rolling 12-month window counts 12 months; no range counts 60
/// months) × 5 for each extra dimension (× 30 for one by auditor) × 2 with the previous period.
/// No scope counts one council for a caller held to theirs and <see cref="EveryCouncil"/> for
/// one who is not. An estimate, not a measurement: a caller whose light-looking queries prove slow
/// is still held back by the gate's fair share (a heavy caller never takes the light lane's last slot).
/// </summary>
public static class PlanWeight
{
    /// <summary>What an unscoped request counts as for a caller who may see every council.</summary>
    public const double EveryCouncil = 100;

    /// <summary>The months an open period range counts as (five financial years).</summary>
    public const int OpenRangeMonths = 60;

    /// <summary>The lane <paramref name="request"/> belongs in: heavy when its estimate reaches <paramref name="heavyAt"/>.</summary>
    public static QueryWeight Of(IMessage request, Caller caller, double heavyAt) => Of(Estimate(request, caller), heavyAt);

    /// <summary>The lane a request of <paramref name="estimate"/> cells belongs in: heavy when it reaches <paramref name="heavyAt"/>.</summary>
    public static QueryWeight Of(double estimate, double heavyAt) => estimate >= heavyAt ? QueryWeight.Heavy : QueryWeight.Light;

    /// <summary>The estimated cells of <paramref name="request"/> (see the type's summary).</summary>
    public static double Estimate(IMessage request, Caller caller)
    {
        var scope = Field(request, "scope") as Scope;
        var breadth = scope switch
        {
            { LaCodes.Count: > 0 } => (double)scope.LaCodes.Count,
            { ServiceAreas.Count: > 0 } => Math.Max(1, scope.ServiceAreas.Count / 3.0),
            { TeamIds.Count: > 0 } => Math.Max(1, scope.TeamIds.Count / 10.0),
            _ => caller.OwnCouncil is null ? EveryCouncil : 1,
        };
        var units = breadth * (Field(request, "group_by") switch
        {
            OrgLevel.Team => 10,
            OrgLevel.ServiceArea => 3,
            _ => 1,
        });
        var months = Months(Field(request, "period") as PeriodRange);
        var grain = Field(request, "grain") is TimeGrain wire && Enum.IsDefined(wire) ? PeriodGrain.Of(wire) : PeriodGrain.Default;
        var periods = grain.IsRolling ? months * 12.0 : grain.Months == 0 ? 1 : Math.Ceiling(months / (double)grain.Months);
        var detail = 1.0;
        if (Field(request, "dimensions") is IEnumerable<string> dimensions)
        {
            foreach (var d in dimensions) detail *= string.Equals(d.Trim(), "auditor_id", StringComparison.OrdinalIgnoreCase) ? 30 : 5;
        }
        if (Field(request, "by_auditor") is true) detail *= 30;
        if (Field(request, "compare_previous_period") is true) detail *= 2;
        return units * periods * detail;
    }

    private static object? Field(IMessage request, string name) => request.Descriptor.FindFieldByName(name)?.Accessor.GetValue(request);

    /// <summary>Months from from_month to to_month (both "YYYY-MM"); an open or unreadable range counts <see cref="OpenRangeMonths"/>.</summary>
    private static double Months(PeriodRange? period)
    {
        if (period is null || !Month(period.FromMonth, out var from) || !Month(period.ToMonth, out var to)) return OpenRangeMonths;
        return Math.Max(1, (to.Year - from.Year) * 12 + to.Month - from.Month + 1);
    }

    private static bool Month(string text, out DateTime month) =>
        DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out month);
}
