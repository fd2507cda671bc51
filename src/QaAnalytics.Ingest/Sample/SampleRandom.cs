namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Seeding and the few distributions the generator needs. Every stream is a
/// <see cref="System.Random"/> whose seed is mixed from the run seed, a stream id and the
/// council/team numbers, so adding a stream or a council never shifts another one. Normal draws use
/// the Irwin–Hall sum of twelve uniforms (arithmetic only), so the bytes do not depend on the
/// platform's <c>Math.Log</c>/<c>Math.Cos</c>.
/// </summary>
internal static class SampleRandom
{
    public static Random Create(int seed, SampleStream stream, int council, int team = -1) =>
        new(Derive(seed, (int)stream, council, team));

    public static int Derive(int seed, int stream, int council, int team)
    {
        var x = Mix((ulong)(uint)seed);
        x = Mix(x ^ ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL));
        x = Mix(x ^ ((ulong)(uint)council * 0xC2B2AE3D27D4EB4FUL));
        x = Mix(x ^ ((ulong)(uint)team * 0x165667B19E3779F9UL));
        return (int)(x & 0x7FFF_FFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Approximately standard normal (bounded at ±6).</summary>
    public static double Normal(this Random r)
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++) sum += r.NextDouble();
        return sum - 6.0;
    }

    public static double Normal(this Random r, double mean, double sd) => mean + sd * r.Normal();

    public static bool Chance(this Random r, double p) => r.NextDouble() < p;

    public static double Uniform(this Random r, double min, double max) => min + (max - min) * r.NextDouble();

    /// <summary>Uniform integer in [min, max], both inclusive.</summary>
    public static int Between(this Random r, int min, int max) => r.Next(min, max + 1);

    public static T Pick<T>(this Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public static int PickWeighted(this Random r, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = r.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    public static int Poisson(this Random r, double lambda)
    {
        if (lambda <= 0) return 0;
        if (lambda > 30) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * r.Normal()));
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = r.NextDouble();
        while (p > limit)
        {
            k++;
            p *= r.NextDouble();
        }
        return k;
    }

    public static int Binomial(this Random r, int n, double p)
    {
        if (n <= 0) return 0;
        if (n > 80)
        {
            var mean = n * p;
            var sd = Math.Sqrt(n * p * (1 - p));
            return Math.Clamp((int)Math.Round(mean + sd * r.Normal()), 0, n);
        }
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            if (r.NextDouble() < p) k++;
        }
        return k;
    }

    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));
}

/// <summary>Independent random streams; the numbers are part of the seed derivation, so never renumber.</summary>
internal enum SampleStream
{
    Council = 1,
    TeamLatent = 2,
    Audits = 3,
    Requests = 4,
    Kpis = 5,
    Complaints = 6,
    DirtyAudits = 11,
    DirtyRequests = 12,
    DirtyKpis = 13,
    DirtyComplaints = 14,
}
