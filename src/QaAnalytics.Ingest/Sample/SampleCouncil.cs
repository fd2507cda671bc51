using static QaAnalytics.Ingest.Sample.CausalModel;

namespace QaAnalytics.Ingest.Sample;

/// <summary>One council: its teams, their latent pressure and quality, and its QA staff.</summary>
internal sealed class SampleCouncil
{
    private static readonly string[] Localities = ["North", "South", "East", "West", "Central", "Coastal", "Rural", "City"];

    private SampleCouncil(int index, string laCode, IReadOnlyList<SampleTeam> teams, string[] qaStaff, double stage1OnTime, double stage2OnTime)
    {
        Index = index;
        LaCode = laCode;
        Teams = teams;
        QaStaff = qaStaff;
        Stage1OnTime = stage1OnTime;
        Stage2OnTime = stage2OnTime;
    }

    public int Index { get; }
    public string LaCode { get; }
    public IReadOnlyList<SampleTeam> Teams { get; }

    /// <summary>QA unit staff: they moderate, and sometimes audit.</summary>
    public string[] QaStaff { get; }

    /// <summary>Probability a stage 1 complaint is answered within 10 working days.</summary>
    public double Stage1OnTime { get; }

    /// <summary>Probability a stage 2 complaint is answered within 25 working days.</summary>
    public double Stage2OnTime { get; }

    public static SampleCouncil Build(SampleOptions options, int index)
    {
        var rng = SampleRandom.Create(options.Seed, SampleStream.Council, index);
        var laCode = (800 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var quarters = options.Years * 4;
        var months = options.Years * 12;

        var layout = Layout(rng);
        var names = Names(rng, layout);

        // Shared council pressure (recruitment market, demand surges) and council baseline quality.
        var councilPressure = Ar1(rng, quarters + 1 + 2, CouncilPhi, CouncilSd);
        var councilBase = rng.Normal(0, CouncilBaseSd);

        // Process-driven teams (not MASH) and teams with a sustained pressure episode.
        var eligible = Enumerable.Range(0, layout.Count).Where(i => layout[i] != ServiceArea.Mash).ToList();
        Shuffle(rng, eligible);
        var pdCount = Math.Max(1, (int)Math.Round(layout.Count * rng.Uniform(ProcessDrivenShareMin, ProcessDrivenShareMax)));
        var processDriven = eligible.Take(pdCount).ToHashSet();
        var episodeTeams = eligible.Skip(pdCount).Take(rng.Between(2, 3)).ToList();

        var teams = new List<SampleTeam>(layout.Count);
        for (var i = 0; i < layout.Count; i++)
        {
            var number = i + 1;
            var teamRng = SampleRandom.Create(options.Seed, SampleStream.TeamLatent, index, number);
            teams.Add(BuildTeam(
                teamRng, options, index, laCode, number, layout[i], names[i], processDriven.Contains(i),
                episodeTeams.Contains(i), councilPressure, councilBase, quarters, months));
        }

        var qaStaff = Enumerable.Range(1, 4).Select(k => $"{laCode}-QA{k:00}").ToArray();
        return new SampleCouncil(index, laCode, teams, qaStaff, rng.Uniform(0.58, 0.67), rng.Uniform(0.50, 0.60));
    }

    private static SampleTeam BuildTeam(
        Random rng, SampleOptions options, int council, string laCode, int number, string area, string name,
        bool processDriven, bool episode, double[] councilPressure, double councilBase, int quarters, int months)
    {
        // Quarter arrays hold two lead quarters (−2, −1) then 0..quarters (one past the data).
        const int lead = 2;
        var length = quarters + 1 + lead;

        var shocks = new double[length];
        for (var t = 0; t < length; t++)
        {
            if (rng.Chance(ShockProbability)) shocks[t] = rng.Uniform(ShockMin, ShockMax);
        }
        var own = Ar1(rng, length, PressurePhi, PressureSd, shocks);

        var episodeLevel = new double[length];
        var inEpisode = new bool[quarters + 1];
        if (episode)
        {
            var start = rng.Between(0, Math.Max(0, quarters - 3));
            var duration = rng.Between(3, 5);
            var magnitude = rng.Uniform(EpisodeMin, EpisodeMax);
            for (var k = 0; k < duration && start + k <= quarters; k++)
            {
                var ramp = k == 0 || k == duration - 1 ? 0.6 : 1.0;
                episodeLevel[start + k + lead] = magnitude * ramp;
                inEpisode[start + k] = true;
            }
        }

        var pressureAll = new double[length];
        for (var t = 0; t < length; t++)
        {
            pressureAll[t] = own[t] + CouncilWeight * councilPressure[t] + episodeLevel[t];
        }

        var teamBase = rng.Normal(0, TeamBaseSd) + councilBase;
        var pdStart = rng.Between(1, Math.Max(1, quarters / 4));
        var quality = new double[quarters + 1];
        for (var t = 0; t <= quarters; t++)
        {
            var lagged = Lag1Weight * pressureAll[t - 1 + lead] + Lag2Weight * pressureAll[t - 2 + lead];
            var decline = processDriven && t >= pdStart
                ? Math.Min(ProcessDrivenDeclinePerQuarter * (t - pdStart + 1), ProcessDrivenDeclineMax)
                : 0.0;
            quality[t] = teamBase + Trend(t, options.Years) - Beta * lagged + rng.Normal(0, QualityNoiseSd) - decline;
        }

        var pressure = pressureAll[lead..];
        var kpiCount = Enum.GetValues<ComplianceKpi>().Length;
        var offsets = new double[kpiCount];
        for (var k = 0; k < kpiCount; k++) offsets[k] = rng.Normal(0, ComplianceOffsetSd);

        var monthPressure = new double[months];
        var deviation = new double[months, kpiCount];
        for (var m = 0; m < months; m++)
        {
            monthPressure[m] = pressure[m / 3] + rng.Normal(0, MonthPressureSd);
            for (var k = 0; k < kpiCount; k++)
            {
                deviation[m, k] = offsets[k] - ComplianceAlpha[k] * monthPressure[m] + rng.Normal(0, ComplianceNoiseSd);
            }
        }

        var workers = rng.Between(5, 10);
        var caseloadBase = area switch
        {
            ServiceArea.Mash => 11.0,
            ServiceArea.Assessment => 19.0,
            ServiceArea.ChildProtection => 18.0,
            ServiceArea.ChildrenInCare => 16.0,
            _ => 21.0,
        } + rng.Normal(0, 1.5);

        return new SampleTeam
        {
            Council = council,
            LaCode = laCode,
            Number = number,
            TeamId = $"{laCode}-T{number:00}",
            Name = name,
            ServiceArea = area,
            Workers = workers,
            ProcessDriven = processDriven,
            Pressure = pressure,
            Quality = quality,
            Episode = inEpisode,
            MonthPressure = monthPressure,
            ComplianceDeviation = deviation,
            CaseloadBase = caseloadBase,
            AgencyBase = Math.Max(2.0, 14.0 + rng.Normal(0, 5.0)),
            ReturnRate = rng.Uniform(0.25, 0.75),
            Managers = [$"{laCode}-M{number:00}1", $"{laCode}-M{number:00}2"],
            WorkerIds = Enumerable.Range(1, workers).Select(k => $"{laCode}-W{number:00}{k:00}").ToArray(),
        };
    }

    /// <summary>AR(1) started from its stationary spread and run through a burn-in.</summary>
    private static double[] Ar1(Random rng, int length, double phi, double sd, double[]? shocks = null)
    {
        var x = rng.Normal(0, sd / Math.Sqrt(1 - phi * phi));
        for (var i = 0; i < BurnInQuarters; i++) x = phi * x + rng.Normal(0, sd);
        var result = new double[length];
        for (var t = 0; t < length; t++)
        {
            x = phi * x + rng.Normal(0, sd) + (shocks?[t] ?? 0);
            result[t] = x;
        }
        return result;
    }

    private static List<string> Layout(Random rng)
    {
        var counts = new (string Area, int Count)[]
        {
            (ServiceArea.Mash, rng.Between(1, 2)),
            (ServiceArea.Assessment, rng.Between(3, 4)),
            (ServiceArea.ChildProtection, rng.Between(3, 5)),
            (ServiceArea.ChildrenInCare, rng.Between(3, 4)),
            (ServiceArea.CareLeavers, rng.Between(1, 2)),
        };
        var total = counts.Sum(c => c.Count);
        if (total < 12) counts[2].Count += 12 - total;
        return counts.SelectMany(c => Enumerable.Repeat(c.Area, c.Count)).ToList();
    }

    private static List<string> Names(Random rng, List<string> layout)
    {
        var cpStyle = rng.Chance(0.5) ? "Family Safeguarding Team" : "Child Protection Team";
        // Every council has at least one non-ASCII name, so the Windows-1252 path is always exercised.
        var special = rng.Next(3);
        var commaName = rng.Chance(0.4);
        var names = new List<string>(layout.Count);
        foreach (var group in layout.GroupBy(a => a))
        {
            var n = group.Count();
            var places = Localities.ToList();
            Shuffle(rng, places);
            for (var k = 0; k < n; k++)
            {
                var place = places[k];
                names.Add(group.Key switch
                {
                    ServiceArea.Mash => n == 1 ? "MASH" : $"MASH {place}",
                    ServiceArea.Assessment when k == 1 && commaName => $"Assessment Team {place} (Duty, Intake)",
                    ServiceArea.Assessment => $"Assessment Team {place}",
                    ServiceArea.ChildProtection => $"{cpStyle} {k + 1}",
                    ServiceArea.ChildrenInCare when k == 0 && special != 1 => "Children\u2019s Permanence Team",
                    ServiceArea.ChildrenInCare => $"Children in Care Team {place}",
                    ServiceArea.CareLeavers when k == n - 1 && special != 0 => "Care Leavers Caf\u00e9 Hub",
                    _ => n == 1 ? "Care Leavers Team" : $"Care Leavers Team {place}",
                });
            }
        }
        return names;
    }

    private static void Shuffle<T>(Random rng, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
