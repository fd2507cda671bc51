using Grpc.Core;
using QaAnalytics.Contracts.V1;
using Xunit.Abstractions;

namespace QaAnalytics.Tests.Service.Privacy;

/// <summary>
/// The differencing attacks of issue 10, automated against an outside caller (a regional partner)
/// over a generated sample of 3 councils × 3 years: each route's best guess at every count of 1–5 is
/// compared with the true count (from the councils' own directors, who see exact figures). No route
/// may pin the true count more often than <see cref="StatedRate"/>; the routes that need a finer
/// cell than an outside caller may ask for are refused. As internal callers, the same figures are
/// exact and add up.
/// </summary>
public sealed class AttackSuiteTests(SampleServiceFixture fixture, ITestOutputHelper output) : IClassFixture<SampleServiceFixture>
{
    /// <summary>The stated rate: no route recovers a true count of 1–5 in more than this share of cells (README, Security).</summary>
    public const double StatedRate = 0.5;

    private static readonly string[] Grades = ["effective_outstanding", "effective_good", "effective_requires_improvement", "effective_inadequate"];
    private static readonly string[] Moderation = ["agreed", "upgrades", "downgrades"];
    private static readonly string[] Counts = ["audits", .. Grades, "moderated", .. Moderation];

    [Fact]
    public async Task DifferencingRoutes_OutsideCaller_PinSmallCountsAtMostAtTheStatedRate()
    {
        var partner = fixture.Partner();
        // Cells by council × quarter, and by council × quarter × audit type (where most small counts are).
        var truth = await TruthAsync(TimeGrain.FinancialQuarter, null);
        foreach (var cell in await TruthAsync(TimeGrain.FinancialQuarter, "audit_type")) truth[cell.Key] = cell.Value;
        var quarters = Keyed(await QueryAsync(partner, TimeGrain.FinancialQuarter, Counts.Append("mean_grade_score")), null);
        var years = Keyed(await QueryAsync(partner, TimeGrain.FinancialYear, Counts), null);
        foreach (var (key, row) in Keyed(await QueryAsync(partner, TimeGrain.FinancialQuarter, Counts.Append("mean_grade_score"), ["audit_type"]), "audit_type")) quarters[key] = row;
        foreach (var (key, row) in Keyed(await QueryAsync(partner, TimeGrain.FinancialYear, Counts, ["audit_type"]), "audit_type")) years[key] = row;

        // Each route's estimate of a cell (council, quarter, audit type or "", count); null where the route has nothing.
        var routes = new Dictionary<string, Func<Cell, double?>>
        {
            ["published figure"] = cell => Value(quarters, cell.La, cell.Q, cell.Type, cell.C),
            ["1. mean_grade_score beside the grade counts"] = cell => Grades.Contains(cell.C) ? FromMean(cell) : null,
            ["4. financial year minus its other quarters"] = cell => Value(years, cell.La, Year(cell.Q), cell.Type, cell.C) is { } fy
                ? fy - QuartersOf(Year(cell.Q)).Where(o => o != cell.Q).Sum(o => Value(quarters, cell.La, o, cell.Type, cell.C) ?? 0) : null,
            ["partition: total minus the other parts"] = Partition,
            ["dimension: council total minus the other audit types"] = cell => cell.Type.Length == 0 ? null
                : Value(quarters, cell.La, cell.Q, "", cell.C) is { } total
                    ? total - quarters.Where(r => r.Key.La == cell.La && r.Key.Q == cell.Q && r.Key.Type.Length > 0 && r.Key.Type != cell.Type).Sum(r => (double)(long)r.Value[cell.C]!)
                    : null,
        };
        routes["all of the above, weighted by their noise"] = Combined;

        var targets = truth.Where(t => t.Value is >= 1 and <= 5).ToList();
        Assert.True(targets.Count >= 200, $"only {targets.Count} small cells to attack");
        foreach (var (route, estimate) in routes)
        {
            var tried = 0;
            var pinned = 0;
            foreach (var (cell, value) in targets)
            {
                if (estimate(cell) is not { } e) continue;
                tried++;
                if (Math.Max(0, Math.Round(e)) == value) pinned++;
            }
            var rate = (double)pinned / tried;
            output.WriteLine($"route '{route}': {pinned} of {tried} small counts pinned ({rate:P0})");
            Assert.True(tried > 0, route);
            Assert.True(rate <= StatedRate, $"route '{route}' pinned {pinned} of {tried} small counts ({rate:P0}), more than {StatedRate:P0}");
        }

        double? FromMean(Cell cell)
        {
            if (!quarters.TryGetValue((cell.La, cell.Q, cell.Type), out var row) || row["mean_grade_score"] is not double mean) return null;
            var scores = new Dictionary<string, double> { [Grades[0]] = 4, [Grades[1]] = 3, [Grades[2]] = 2, [Grades[3]] = 1 };
            var others = Grades.Where(g => g != cell.C).Sum(g => scores[g] * (long)row[g]!);
            return (mean * (long)row["audits"]! - others) / scores[cell.C];
        }

        double? Partition(Cell cell)
        {
            var (total, parts) = Grades.Contains(cell.C) ? ("audits", Grades) : Moderation.Contains(cell.C) ? ("moderated", Moderation) : ("", []);
            if (total.Length == 0 || Value(quarters, cell.La, cell.Q, cell.Type, total) is not { } t) return null;
            return t - parts.Where(p => p != cell.C).Sum(p => Value(quarters, cell.La, cell.Q, cell.Type, p) ?? 0);
        }

        double? Combined(Cell cell)
        {
            // Inverse-variance weights: one perturbed cell has variance about 1.3, a difference of k cells about 1.3 k.
            var estimates = new List<(double Value, double Weight)>();
            if (routes["published figure"](cell) is { } direct) estimates.Add((direct, 1));
            if (routes["4. financial year minus its other quarters"](cell) is { } fy) estimates.Add((fy, 1.0 / 4));
            if (Partition(cell) is { } p) estimates.Add((p, 1.0 / (Grades.Contains(cell.C) ? 4 : 3)));
            if (routes["dimension: council total minus the other audit types"](cell) is { } d)
            {
                estimates.Add((d, 1.0 / quarters.Keys.Count(k => k.La == cell.La && k.Q == cell.Q)));
            }
            return estimates.Count == 0 ? null : estimates.Sum(e => e.Value * e.Weight) / estimates.Sum(e => e.Weight);
        }
    }

    /// <summary>A cell of the attacked tables: council, quarter, audit type ("" for all types) and count.</summary>
    private sealed record Cell(string La, string Q, string Type, string C);

    [Fact]
    public async Task RepeatedCalls_OutsideCaller_GetTheSameFigures()
    {
        // Same records, same cell key, same noise: averaging repeated calls gains nothing.
        var first = await QueryAsync(fixture.Partner(), TimeGrain.FinancialQuarter, Counts);
        var second = await QueryAsync(fixture.ClientWithToken(TestTokens.For("regional_partner", subject: "rp-2"), suppressBelowOrAt: 0), TimeGrain.FinancialQuarter, Counts);
        var third = await QueryAsync(fixture.Partner(), TimeGrain.FinancialQuarter, Counts, period: new PeriodRange { FromMonth = "2024-04", ToMonth = "2025-03" });

        Assert.Equal(Flatten(first), Flatten(second));
        // A quarter has the same figure whichever range it is asked within.
        var shared = Flatten(third);
        Assert.NotEmpty(shared);
        Assert.All(shared, cell => Assert.Contains(cell, Flatten(first)));
    }

    [Fact]
    public async Task PerturbedCounts_OutsideCaller_DifferFromTheTruthButNotByMuch()
    {
        var truth = await TruthAsync(TimeGrain.FinancialQuarter, "audit_type");
        var quarters = Keyed(await QueryAsync(fixture.Partner(), TimeGrain.FinancialQuarter, Counts, ["audit_type"]), "audit_type");
        var changes = truth.Where(t => t.Value > 0).Select(t => Math.Abs(Value(quarters, t.Key.La, t.Key.Q, t.Key.Type, t.Key.C)!.Value - t.Value)).ToList();
        var zeros = truth.Where(t => t.Value == 0).Select(t => Value(quarters, t.Key.La, t.Key.Q, t.Key.Type, t.Key.C)).ToList();

        output.WriteLine($"accuracy cost: {changes.Count} non-zero cells, mean absolute change {changes.Average():0.00}, {changes.Count(c => c == 0)} unchanged, largest {changes.Max()}");
        Assert.All(zeros, z => Assert.Equal(0, z));                  // zeros stay zero
        Assert.All(changes, c => Assert.InRange(c, 0, 2));          // never more than the table's ±2
        Assert.InRange(changes.Average(), 0.5, 1.3);                 // the table's mean absolute change is 0.9 (1.0 for a 1)
        Assert.InRange(changes.Count(c => c == 0) / (double)changes.Count, 0.2, 0.4);  // 0.3 by the table
    }

    [Theory]
    [InlineData("2. two ALL-grain calls a month apart", "all")]
    [InlineData("2. periods a month apart", "months")]
    [InlineData("6. rolling 12-month windows", "rolling")]
    [InlineData("monthly figures", "month")]
    [InlineData("filter to two audit types minus one", "filter")]
    [InlineData("3. council minus its teams", "teams")]
    [InlineData("3. council minus a team in scope", "team-scope")]
    [InlineData("5. team minus its auditors", "auditors")]
    public async Task FinerCells_OutsideCaller_AreRefused(string route, string kind)
    {
        var partner = fixture.Partner();
        var request = new QueryRequest { Measures = { "audits" }, Grain = TimeGrain.FinancialQuarter };
        switch (kind)
        {
            case "all": request.Grain = TimeGrain.All; break;
            case "months": request.Period = new PeriodRange { FromMonth = "2024-05", ToMonth = "2025-03" }; break;
            case "rolling": request.Grain = TimeGrain.Rolling12Months; break;
            case "month": request.Grain = TimeGrain.Month; break;
            case "filter": request.Filters.Add(new Filter { Dimension = "audit_type", Values = { "case", "thematic" } }); break;
            case "teams": request.GroupBy = OrgLevel.Team; break;
            case "team-scope": request.Scope = new Scope { TeamIds = { "800-T01" } }; break;
            case "auditors": request.Dimensions.Add("auditor_id"); break;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => QueryAsync(partner, request));

        Assert.True(ex.StatusCode == StatusCode.PermissionDenied, $"{route}: {ex.Status}");
    }

    [Fact]
    public async Task RiskFlags_OutsideCallerOrPublication_AreRefused()
    {
        // Route 7 (a risk-flag reason's share × the team's audits): flags are for the council's own staff.
        var partner = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Partner().GetRiskFlags(new RiskFlagsRequest())));
        var headers = new Metadata { { "qa-audience", "publication" } };
        var published = await Assert.ThrowsAsync<RpcException>(() => ArrowClient.ReadAsync(fixture.Director("800").GetRiskFlags(new RiskFlagsRequest(), headers)));

        Assert.Equal(StatusCode.PermissionDenied, partner.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, published.StatusCode);
    }

    [Fact]
    public async Task ForPublication_Director_GetsThePartnersPerturbedFigures()
    {
        var headers = new Metadata { { "qa-audience", "publication" } };
        var request = new QueryRequest { Measures = { Counts }, Grain = TimeGrain.FinancialQuarter, Scope = new Scope { LaCodes = { "800" } } };
        var published = (await ArrowClient.ReadAsync(fixture.Director("800").Query(request, headers))).Single().Rows;
        var partner = await QueryAsync(fixture.Partner(), request);
        var exact = await QueryAsync(fixture.Director("800"), request);

        Assert.Equal(Flatten(partner), Flatten(published));
        Assert.NotEqual(Flatten(exact), Flatten(published));
    }

    [Fact]
    public async Task SameCalls_InternalCaller_AreExactAndAddUp()
    {
        foreach (var la in SampleServiceFixture.Councils)
        {
            var director = fixture.Director(la);
            var quarters = await QueryAsync(director, TimeGrain.FinancialQuarter, Counts.Append("mean_grade_score"));
            var years = await QueryAsync(director, TimeGrain.FinancialYear, Counts);
            var teams = await QueryAsync(director, new QueryRequest { Measures = { Counts }, Grain = TimeGrain.FinancialQuarter, GroupBy = OrgLevel.Team });
            var auditors = await QueryAsync(director, new QueryRequest { Measures = { "moderated", "agreed" }, Grain = TimeGrain.FinancialYear, GroupBy = OrgLevel.Team, Dimensions = { "auditor_id" } });
            var teamYears = await QueryAsync(director, new QueryRequest { Measures = { "moderated", "agreed" }, Grain = TimeGrain.FinancialYear, GroupBy = OrgLevel.Team });

            Assert.All(quarters, r => Assert.False((bool)r["suppressed"]!));
            foreach (var row in quarters)
            {
                var q = (string)row["period"]!;
                Assert.Equal((long)row["audits"]!, Grades.Sum(g => (long)row[g]!));
                Assert.Equal((long)row["moderated"]!, Moderation.Sum(m => (long)row[m]!));
                foreach (var c in Counts)
                {
                    Assert.Equal((long)row[c]!, teams.Where(t => (string?)t["period"] == q).Sum(t => (long)t[c]!));
                }
                var mean = Grades.Select((g, i) => (4 - i) * (long)row[g]!).Sum() / (double)(long)row["audits"]!;
                Assert.Equal(mean, (double)row["mean_grade_score"]!, 9);
            }
            foreach (var year in years)
            {
                var y = (string)year["period"]!;
                foreach (var c in Counts) Assert.Equal((long)year[c]!, quarters.Where(q => Year((string)q["period"]!) == y).Sum(q => (long)q[c]!));
            }
            foreach (var team in teamYears)
            {
                var mine = auditors.Where(a => (string?)a["team_id"] == (string?)team["team_id"] && (string?)a["period"] == (string?)team["period"]).ToList();
                Assert.Equal((long)team["moderated"]!, mine.Sum(a => (long)a["moderated"]!));
                Assert.Equal((long)team["agreed"]!, mine.Sum(a => (long)a["agreed"]!));
            }
        }
    }

    /// <summary>The true counts of every council, from its own director (by audit type when <paramref name="dimension"/> is audit_type).</summary>
    private async Task<Dictionary<Cell, long>> TruthAsync(TimeGrain grain, string? dimension)
    {
        var truth = new Dictionary<Cell, long>();
        foreach (var la in SampleServiceFixture.Councils)
        {
            var rows = await QueryAsync(fixture.Director(la), grain, Counts, dimension is null ? null : [dimension]);
            foreach (var ((_, q, type), row) in Keyed(rows, dimension))
            {
                foreach (var c in Counts) truth[new Cell(la, q, type, c)] = (long)row[c]!;
            }
        }
        return truth;
    }

    private static Dictionary<(string La, string Q, string Type), Dictionary<string, object?>> Keyed(List<Dictionary<string, object?>> rows, string? dimension) =>
        rows.ToDictionary(r => ((string)r["la_code"]!, (string)r["period"]!, dimension is null ? "" : (string?)r[dimension] ?? "?"));

    private static double? Value(Dictionary<(string La, string Q, string Type), Dictionary<string, object?>> rows, string la, string period, string type, string count) =>
        rows.TryGetValue((la, period, type), out var row) && row[count] is long v ? v : null;

    internal static Task<List<Dictionary<string, object?>>> QueryAsync(Contracts.V1.QaAnalytics.QaAnalyticsClient client, TimeGrain grain, IEnumerable<string> measures,
        IEnumerable<string>? dimensions = null, PeriodRange? period = null) =>
        QueryAsync(client, new QueryRequest { Measures = { measures }, Grain = grain, Dimensions = { dimensions ?? Array.Empty<string>() }, Period = period });

    internal static async Task<List<Dictionary<string, object?>>> QueryAsync(Contracts.V1.QaAnalytics.QaAnalyticsClient client, QueryRequest request) =>
        (await ArrowClient.ReadAsync(client.Query(request))).Single().Rows;

    private static double? Value(List<Dictionary<string, object?>> rows, string la, string period, string count) =>
        rows.FirstOrDefault(r => (string?)r["la_code"] == la && (string?)r["period"] == period)?[count] is long v ? v : null;

    /// <summary>"2024/25 Q3" → "2024/25".</summary>
    private static string Year(string quarter) => quarter.Split(' ')[0];

    private static IEnumerable<string> QuartersOf(string year) => Enumerable.Range(1, 4).Select(i => $"{year} Q{i}");

    private static List<string> Flatten(List<Dictionary<string, object?>> rows) =>
        rows.SelectMany(r => Counts.Select(c => $"{r["la_code"]}|{r["period"]}|{c}={r[c]}")).ToList();
}
