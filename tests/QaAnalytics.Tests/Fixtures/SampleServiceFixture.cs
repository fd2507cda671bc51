using QaAnalytics.Ingest.Sample;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>The service over a generated sample: 3 councils (800, 801, 802) × 3 financial years (2023/24 to 2025/26), loaded by the real loader.</summary>
public sealed class SampleServiceFixture : ServiceFixture
{
    public static readonly string[] Councils = ["800", "801", "802"];

    protected override void Write(TestFiles files) => SampleGenerator.Write(new SampleOptions(files.Input, Councils: 3, Years: 3, Seed: 42));

    /// <summary>A regional partner (outside the council: perturbed counts).</summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Partner() => ClientWithToken(TestTokens.For("regional_partner", subject: "rp-1"), suppressBelowOrAt: 0);

    /// <summary>A director of one council, on the default settings (exact counts).</summary>
    public Contracts.V1.QaAnalytics.QaAnalyticsClient Director(string laCode) => ClientWithToken(TestTokens.For("director", laCode, subject: "dir-" + laCode), suppressBelowOrAt: 0);
}
