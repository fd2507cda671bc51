using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Security;

/// <summary>What a call asks for, as far as who may see it goes: the scope, the organisation filters, the grouping and the dimensions.</summary>
public sealed record AccessRequest(Scope? Scope, OrgLevel GroupBy, OrgLevel DefaultGroupBy)
{
    /// <summary>Dimensions after period (the generic Query, or auditor_id for moderation by auditor).</summary>
    public IReadOnlyList<string> Dimensions { get; init; } = [];

    /// <summary>Filters by dimension (the generic Query); la_code, service_area and team_id filters are checked like the scope.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The time grain asked for (null: a question with no time grain, such as risk flags).</summary>
    public PeriodGrain? Grain { get; init; }

    /// <summary>The months asked for.</summary>
    public PeriodRange? Period { get; init; }

    public override string ToString()
    {
        var parts = new List<string> { $"group_by={Level(GroupBy)}" };
        AddList(parts, "la_codes", Scope?.LaCodes);
        AddList(parts, "service_areas", Scope?.ServiceAreas);
        AddList(parts, "team_ids", Scope?.TeamIds);
        AddList(parts, "dimensions", Dimensions);
        foreach (var (dimension, values) in Filters.Where(f => AccessPolicy.OrgFilters.Contains(f.Key)))
        {
            // Only organisation filters: other filter values (auditor ids, KPI codes) stay out of the log.
            AddList(parts, "filter." + dimension, values);
        }
        return string.Join(" ", parts);
    }

    internal static string Level(OrgLevel level) => level switch
    {
        OrgLevel.Unspecified => "default",
        OrgLevel.Council => "council",
        OrgLevel.ServiceArea => "service_area",
        OrgLevel.Team => "team",
        _ => ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A list for the access log: each value escaped (<see cref="LogText.Escape"/>), at most
    /// <see cref="LogText.MaxValues"/> values, and the whole capped at <see cref="LogText.MaxLength"/> characters.
    /// </summary>
    internal static void AddList(List<string> parts, string name, IEnumerable<string>? values)
    {
        var list = values?.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList();
        if (list is { Count: > 0 }) parts.Add($"{name}=[{LogText.List(list)}]");
    }
}

/// <summary>What the call is answered with: the scope narrowed to what the caller may see, the grouping, and the suppression policy.</summary>
public sealed record Access(Scope Scope, OrgLevel GroupBy, Disclosure Disclosure)
{
    public override string ToString()
    {
        var parts = new List<string> { $"group_by={AccessRequest.Level(GroupBy)}" };
        AccessRequest.AddList(parts, "la_codes", Scope.LaCodes);
        AccessRequest.AddList(parts, "service_areas", Scope.ServiceAreas);
        AccessRequest.AddList(parts, "team_ids", Scope.TeamIds);
        if (Scope.LaCodes.Count == 0) parts.Add("la_codes=all");
        parts.Add(Disclosure.Describe());
        return string.Join(" ", parts);
    }
}

/// <summary>
/// Row-level security for every question: deny by default, never silently narrow. A request that
/// names a council, service area or team outside the caller's (in its scope or in a filter), groups
/// above or below what the role may see, or asks for a dimension the role may not see is refused
/// with <see cref="AccessDeniedException"/>; otherwise the scope is narrowed to the caller's own
/// (an empty list means "all I may see") and the role's suppression policy is chosen.
/// </summary>
public static class AccessPolicy
{
    internal static readonly IReadOnlySet<string> OrgFilters = new HashSet<string>(["la_code", "service_area", "team_id"], StringComparer.Ordinal);

    /// <summary>
    /// Applies the caller's rights to a request. <paramref name="team"/> looks a team id up in the
    /// snapshot (its council and service area; null when it is not there).
    /// </summary>
    public static Access Apply(Caller caller, AccessRequest request, Func<string, (string LaCode, string ServiceArea)?> team, ServiceOptions options)
    {
        RequestLimits.Check(request);
        var (coarsest, finest) = Levels(caller);
        var groupBy = request.GroupBy == OrgLevel.Unspecified
            ? Clamp(request.DefaultGroupBy, coarsest, finest)
            : request.GroupBy;
        var rank = Rank(groupBy) ?? throw new BadArgumentException("group_by", $"unknown organisation level {(int)groupBy}");
        if (rank < Rank(coarsest) || rank > Rank(finest))
        {
            throw new AccessDeniedException($"group_by: a {Roles.Name(caller.Role)} may group by {Range(coarsest, finest)} only");
        }
        foreach (var dimension in request.Dimensions)
        {
            var implied = dimension switch { "service_area" => OrgLevel.ServiceArea, "team_id" or "team_name" => OrgLevel.Team, _ => OrgLevel.Council };
            if (Rank(implied) > Rank(finest)) throw new AccessDeniedException($"dimensions: a {Roles.Name(caller.Role)} may not break figures down by {dimension}");
        }
        if (caller.Audience == Audience.Outside) OutsideLimits(caller, request);

        var laCodes = Values(request.Scope?.LaCodes, request.Filters, "la_code");
        var serviceAreas = Values(request.Scope?.ServiceAreas, request.Filters, "service_area");
        var teams = Values(request.Scope?.TeamIds, request.Filters, "team_id");
        // Checks that need no data first, so a refusal never depends on what the snapshot holds.
        if (caller.OwnCouncil is { } ownLa && laCodes.FirstOrDefault(l => l != ownLa) is { } otherLa)
        {
            throw new AccessDeniedException($"la_code {otherLa} is outside the caller's council");
        }
        if (caller.Audience == Audience.Outside && (serviceAreas.Count > 0 || teams.Count > 0))
        {
            throw new AccessDeniedException("a regional partner sees council-level aggregates only: no service area or team in the scope or filters");
        }
        if (caller.Role == Role.ServiceManager && serviceAreas.FirstOrDefault(s => s != caller.ServiceArea) is { } otherArea)
        {
            throw new AccessDeniedException($"service area {otherArea} is outside the caller's service area");
        }
        if (caller.Role == Role.TeamManager && teams.FirstOrDefault(t => t != caller.TeamId) is { } otherTeam)
        {
            throw new AccessDeniedException($"team {otherTeam} is not the caller's team");
        }
        if (caller.Role == Role.TeamManager && serviceAreas.Count > 0 && serviceAreas.Any(s => team(caller.TeamId!)?.ServiceArea != s))
        {
            throw new AccessDeniedException("a team manager's scope is their team: no other service area");
        }
        foreach (var id in teams)
        {
            var (la, area) = team(id) ?? throw new NotFoundException($"team {id} is not in the published data");
            if (caller.OwnCouncil is { } own && la != own) throw new AccessDeniedException($"team {id} is outside the caller's council");
            if (caller.Role == Role.ServiceManager && area != caller.ServiceArea) throw new AccessDeniedException($"team {id} is outside the caller's service area");
        }

        var applied = new Scope();
        applied.LaCodes.AddRange(caller.OwnCouncil is { } la2 ? [la2] : laCodes);
        applied.ServiceAreas.AddRange(caller.Role == Role.ServiceManager ? [caller.ServiceArea!] : Values(request.Scope?.ServiceAreas, null, ""));
        applied.TeamIds.AddRange(caller.Role == Role.TeamManager ? [caller.TeamId!] : Values(request.Scope?.TeamIds, null, ""));
        return new Access(applied, groupBy, DisclosureFor(caller, options));
    }

    /// <summary>
    /// What an outside caller may ask, so that differencing has as few overlapping cells to work
    /// with as possible: council level (above), whole financial quarters or years (no months, no
    /// rolling windows, no arbitrary spans), one value per filter (a filter to two audit types is a
    /// new cell that differs from a one-type cell by the other), never by auditor, never risk flags.
    /// </summary>
    private static void OutsideLimits(Caller caller, AccessRequest request)
    {
        var who = caller.Role == Role.RegionalPartner ? "a regional partner" : "an output for publication";
        if (request.Dimensions.Concat(request.Filters.Keys).Contains("auditor_id"))
        {
            throw new AccessDeniedException($"auditor_id: {who} sees council-level aggregates only, never figures by auditor");
        }
        if (request.Grain is not { } grain)
        {
            throw new AccessDeniedException($"{who} gets council-level statistics only: team risk flags are for the council's own staff");
        }
        if (!grain.IsWholeFinancialPeriod)
        {
            throw new AccessDeniedException($"grain: {who} gets whole financial quarters or years only (no months, rolling windows or spans)");
        }
        var (from, to) = QueryArguments.Months(request.Period);
        var months = grain.Months;
        // Whole periods: a period that starts or ends mid-quarter (mid-year) is a new cell.
        if (!string.IsNullOrWhiteSpace(request.Period?.FromMonth) && (from.Month - 4 + 12) % months != 0)
        {
            throw new AccessDeniedException($"period.from_month: {who} asks for whole financial {(months == 3 ? "quarters (from April, July, October or January)" : "years (from April)")}");
        }
        if (!string.IsNullOrWhiteSpace(request.Period?.ToMonth) && (to.Month - 3 + 12) % months != 0)
        {
            throw new AccessDeniedException($"period.to_month: {who} asks for whole financial {(months == 3 ? "quarters (to June, September, December or March)" : "years (to March)")}");
        }
        if (request.Filters.FirstOrDefault(f => !OrgFilters.Contains(f.Key) && f.Value.Count > 1) is { Key: { } many })
        {
            throw new AccessDeniedException($"filters: {who} filters {many} to one value at a time (group by it as a dimension to see several)");
        }
    }

    /// <summary>Which teams the caller may see in the catalogue (null: none — a regional partner sees no team-level rows).</summary>
    public static Scope? TeamsVisibleTo(Caller caller)
    {
        if (caller.Audience == Audience.Outside) return null;
        var scope = new Scope();
        if (caller.OwnCouncil is { } la) scope.LaCodes.Add(la);
        if (caller.Role == Role.ServiceManager) scope.ServiceAreas.Add(caller.ServiceArea!);
        if (caller.Role == Role.TeamManager) scope.TeamIds.Add(caller.TeamId!);
        return scope;
    }

    /// <summary>
    /// Disclosure by audience: outside the council (a regional partner, or an output for
    /// publication) the cell key method, whatever is configured; the council's own roles exact
    /// figures, unless their role (<see cref="ServiceOptions.SuppressBelowOrAtByRole"/>) or the
    /// service (<see cref="ServiceOptions.SuppressBelowOrAt"/>) is set to suppress small counts.
    /// </summary>
    public static Disclosure DisclosureFor(Caller caller, ServiceOptions options) =>
        caller.Audience == Audience.Outside ? Disclosure.CellKey(Privacy.PerturbationTable.Default)
        : new(options.SuppressBelowOrAtByRole.TryGetValue(Roles.Name(caller.Role), out var threshold) ? threshold : options.SuppressBelowOrAt);

    /// <summary>The coarsest and finest organisation level a caller may group by: an output for publication is council level only.</summary>
    public static (OrgLevel Coarsest, OrgLevel Finest) Levels(Caller caller) =>
        caller.ForPublication ? (OrgLevel.Council, OrgLevel.Council) : Levels(caller.Role);

    /// <summary>The coarsest and finest organisation level a role may group by.</summary>
    public static (OrgLevel Coarsest, OrgLevel Finest) Levels(Role role) => role switch
    {
        Role.Director or Role.QaLead or Role.Analyst => (OrgLevel.Council, OrgLevel.Team),
        Role.ServiceManager => (OrgLevel.ServiceArea, OrgLevel.Team),
        Role.TeamManager => (OrgLevel.Team, OrgLevel.Team),
        Role.RegionalPartner => (OrgLevel.Council, OrgLevel.Council),
        _ => throw new AccessDeniedException("unknown role"),
    };

    private static int? Rank(OrgLevel level) => level switch
    {
        OrgLevel.Unspecified or OrgLevel.Council => 1,
        OrgLevel.ServiceArea => 2,
        OrgLevel.Team => 3,
        _ => null,
    };

    private static OrgLevel Clamp(OrgLevel level, OrgLevel coarsest, OrgLevel finest) =>
        Rank(level) is not { } r ? level : r < Rank(coarsest) ? coarsest : r > Rank(finest) ? finest : level == OrgLevel.Unspecified ? OrgLevel.Council : level;

    private static string Range(OrgLevel coarsest, OrgLevel finest) =>
        coarsest == finest ? AccessRequest.Level(coarsest) : $"{AccessRequest.Level(coarsest)} to {AccessRequest.Level(finest)}";

    private static List<string> Values(IEnumerable<string>? scope, IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, string dimension) =>
        (scope ?? []).Concat(filters is not null && filters.TryGetValue(dimension, out var values) ? values : [])
            .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();
}
