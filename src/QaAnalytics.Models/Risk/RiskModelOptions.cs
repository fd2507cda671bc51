namespace QaAnalytics.Models.Risk;

/// <summary>Training and evaluation settings; each default is the one the README and model card describe.</summary>
public sealed record RiskModelOptions
{
    /// <summary>Seed of the ML.NET context (default 42): the same data and seed give the same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The label definition (default <see cref="RiskLabel.Default"/>).</summary>
    public RiskLabel Label { get; init; } = RiskLabel.Default;

    /// <summary>Boosted trees (default 200).</summary>
    public int Trees { get; init; } = 200;

    /// <summary>Leaves per tree (default 4): small trees, as team data is small.</summary>
    public int Leaves { get; init; } = 4;

    /// <summary>Fewest training rows in a leaf (default 20).</summary>
    public int MinRowsPerLeaf { get; init; } = 20;

    /// <summary>Learning rate (default 0.03).</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Trainer threads (default 1, which keeps training bit-for-bit reproducible).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>A backtest fold needs at least this many labelled quarters, known by the fold's quarter, to train on (default 2).</summary>
    public int MinTrainingQuarters { get; init; } = 2;

    /// <summary>Bootstrap resamples of teams for the interval of model minus baseline (default 1,000).</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>When the verdict finds no evidence, both band thresholds are multiplied by this (default 1.5), so fewer teams read as high.</summary>
    public double NoEvidenceWidening { get; init; } = 1.5;

    /// <summary>A model (or backtest fold) needs at least this many declines and as many non-declines (default 5).</summary>
    public int MinPositives { get; init; } = 5;

    /// <summary>Band "high": probability at least this multiple of the training base rate (default 2).</summary>
    public double HighMultiple { get; init; } = 2.0;

    /// <summary>Band "watch": probability at least this multiple of the training base rate, below high (default 1.25).</summary>
    public double WatchMultiple { get; init; } = 1.25;

    /// <summary>Permutations per feature for the importance (default 5).</summary>
    public int Permutations { get; init; } = 5;

    /// <summary>Reasons listed with each flag (default 3).</summary>
    public int Reasons { get; init; } = 3;
}
