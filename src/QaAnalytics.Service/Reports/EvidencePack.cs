using System.Globalization;
using System.Text.RegularExpressions;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;

namespace QaAnalytics.Service.Reports;

/// <summary>One table of the pack: its rows as the service computed them, and the notes the service attached.</summary>
public sealed record PackTable(List<Dictionary<string, object?>> Rows, IReadOnlyList<string> Notes);

/// <summary>
/// The self-evaluation evidence pack of one council and financial year: every figure is asked of
/// <see cref="AnalyticsQueries"/> exactly as the RPCs (and the dashboard's /api/v1 feeds) ask it,
/// for the caller given, so the pack cannot disagree with the service.
/// </summary>
public sealed record EvidencePack(
    string Council, string Year, string SnapshotId, DateTime SnapshotCreatedAt, Caller Caller,
    PackTable Grades, PackTable Requests, PackTable FollowUp, PackTable Moderation, PackTable Complaints,
    PackTable Triangulation, PackTable Correlation, PackTable? RiskFlags, PackTable? RiskModel, PackTable Measures)
{
    /// <summary>Risk flags shown: the most likely first, at most this many (the rest are in the dashboard).</summary>
    public const int MaxFlags = 12;

    /// <summary>The months of a financial year written "2024/25" (or "2024-25"): April of the first year to March of the next.</summary>
    public static (string From, string To) Months(string year)
    {
        var match = Regex.Match(year.Trim(), @"^(20\d\d)[/-](\d\d)$");
        if (!match.Success) throw new BadArgumentException("year", $"'{year}' is not a financial year written like 2024/25");
        var start = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if ((start + 1) % 100 != int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
        {
            throw new BadArgumentException("year", $"'{year}' is not a financial year: the second part must be the year after {start}");
        }
        return ($"{start}-04", $"{start + 1}-03");
    }

    /// <summary>Asks the service's queries for every table of the pack, for <paramref name="caller"/> (refused as the service would refuse it).</summary>
    public static async Task<EvidencePack> BuildAsync(AnalyticsQueries queries, Caller caller, string council, string year, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(council)) throw new BadArgumentException("council", "is required");
        var (from, to) = Months(year);
        var label = $"{from[..4]}/{to[2..4]}";
        Scope Scope() => new() { LaCodes = { council.Trim() } };
        PeriodRange Period() => new() { FromMonth = from, ToMonth = to };
        const TimeGrain quarter = TimeGrain.FinancialQuarter;
        const OrgLevel councilLevel = OrgLevel.Council;

        var grades = await queries.GradeDistributionAsync(new GradeDistributionRequest { Scope = Scope(), Period = Period(), GroupBy = councilLevel, Grain = quarter }, caller, ct);
        var requests = await queries.AuditComplianceAsync(new AuditComplianceRequest { Scope = Scope(), Period = Period(), GroupBy = councilLevel, Grain = quarter }, caller, ct);
        var followUp = await queries.InadequateFollowUpAsync(new InadequateFollowUpRequest { Scope = Scope(), Period = Period(), GroupBy = councilLevel, Grain = quarter }, caller, ct);
        var moderation = await queries.ModerationAsync(new ModerationRequest { Scope = Scope(), Period = Period(), GroupBy = councilLevel, Grain = quarter }, caller, ct);
        var complaints = await queries.ComplaintsAsync(new ComplaintsRequest { Scope = Scope(), Period = Period(), GroupBy = councilLevel, Grain = quarter }, caller, ct);
        var triangulation = await queries.TriangulationAsync(new TriangulationRequest { Scope = Scope(), Period = Period(), GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialYear }, caller, ct);
        var catalogue = await queries.CatalogueAsync(caller, ct);

        PackTable? flags = null;
        try
        {
            // The year's last scored quarter: what a director would discuss at the self-evaluation.
            var all = Table(await queries.RiskFlagsAsync(new RiskFlagsRequest { Scope = Scope(), Period = Period() }, caller, ct));
            var latest = all.Rows.Select(r => (string?)r["period"]).Where(p => p is not null).DefaultIfEmpty(null).Max(StringComparer.Ordinal);
            var shown = all.Rows.Where(r => (string?)r["period"] == latest && (string?)r["band"] is "high" or "watch")
                .OrderByDescending(r => (double?)r["probability"]).Take(MaxFlags).ToList();
            flags = new PackTable(shown, all.Notes);
        }
        catch (NotFoundException)
        {
            // Not scored: the pack says so and names the command.
        }

        var snapshot = grades.Snapshot;
        return new EvidencePack(council.Trim(), label, snapshot.Id, snapshot.CreatedAt, caller,
            Table(grades), Table(requests), Table(followUp), Table(moderation), Table(complaints),
            Table(triangulation[0]), Table(triangulation[1]), flags,
            catalogue.FirstOrDefault(t => t.Table == "risk_model") is { } model ? Table(model) : null,
            Table(catalogue.Single(t => t.Table == "measures")));
    }

    private static PackTable Table(TableResult result) => new(ArrowRows.Rows(result.Result.Chunks), result.Result.Notes);
}
