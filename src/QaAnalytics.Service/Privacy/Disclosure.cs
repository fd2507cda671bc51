
namespace QaAnalytics.Service.Privacy;

/// <summary>
/// How a caller's counts are disclosed, chosen per caller by audience and role
/// (<see cref="Security.AccessPolicy.DisclosureFor"/>):
/// exact (threshold 0: a council's own roles by default);
/// small-number suppression as DfE publishes it (counts from 1 to <see cref="Threshold"/> withheld,
/// and where a group of cells adds up to a shown total, one more cell withheld so the first cannot
/// be recovered by subtraction; zero never withheld) for a council role configured so;
/// or the cell key method (<see cref="Perturbation"/>) for everyone outside the council.
/// </summary>
public sealed record Disclosure(int Threshold)
{
    public static Disclosure Off { get; } = new(0);

    /// <summary>Counts perturbed by the cell key method with this table (outside the council); null for exact or suppressed counts.</summary>
    public PerturbationTable? Perturbation { get; init; }

    public bool Perturbed => Perturbation is not null;

    /// <summary>The cell key method with a perturbation table.</summary>
    public static Disclosure CellKey(PerturbationTable table) => new(0) { Perturbation = table };

    /// <summary>For the access log.</summary>
    public string Describe() => Perturbed ? "cell_key" : Threshold > 0 ? $"suppress<={Threshold}" : "exact";

    public string? Note => Perturbed
        ? "Counts are perturbed by the cell key method (outside the council): each count of 1 or more moves by a small amount (−2 to +2; a 1 may become 0) that depends only on the records behind it, so the same cell always shows the same figure; zeros stay zero. Shares and means are worked out from the perturbed counts, and totals need not equal the sum of their parts."
        : Threshold > 0
        ? $"Counts from 1 to {Threshold} are withheld (null, with suppressed = true), and where needed one more count in the same row, so a withheld count cannot be worked out from the total; shares of withheld counts are withheld too."
        : null;

    /// <summary>A result's notes, with this policy's own note last when suppression is on.</summary>
    public List<string> Notes(params string[] notes) => Note is { } note ? [.. notes, note] : [.. notes];

    public bool IsSmall(long count) => count >= 1 && count <= Threshold;

    /// <summary>A count as published: perturbed by its cell key, or as counted (withholding is <see cref="Apply"/>'s).</summary>
    public long Publish(long count, double cellKey) => Perturbation is { } table ? table.Perturb(count, cellKey) : count;

    /// <summary>
    /// Withholds cells of one group that adds up to <paramref name="total"/>. Returns the cells
    /// (null = withheld) and the total (null when it is itself small, which withholds every cell).
    /// </summary>
    public (long?[] Cells, long? Total) Apply(IReadOnlyList<long> cells, long total)
    {
        var shown = new long?[cells.Count];
        for (var i = 0; i < shown.Length; i++) shown[i] = cells[i];
        if (Threshold <= 0) return (shown, total);
        if (IsSmall(total))
        {
            for (var i = 0; i < shown.Length; i++) shown[i] = cells[i] == 0 ? 0 : null;
            return (shown, null);
        }
        var withheld = 0;
        for (var i = 0; i < shown.Length; i++)
        {
            if (IsSmall(cells[i]))
            {
                shown[i] = null;
                withheld++;
            }
        }
        if (withheld == 1)
        {
            // The smallest other non-zero cell hides the first from subtraction (the first such on a tie).
            var next = -1;
            for (var i = 0; i < shown.Length; i++)
            {
                if (shown[i] is > 0 && (next < 0 || cells[i] < cells[next])) next = i;
            }
            if (next >= 0) shown[next] = null;
        }
        return (shown, total);
    }

    /// <summary>
    /// Withholds cells of a group nested in another (e.g. agreed, upgraded, downgraded within the
    /// moderated count). When the group's total is itself withheld, every non-zero cell is withheld
    /// too, or the cells would add back up to it.
    /// </summary>
    public long?[] ApplyWithin(IReadOnlyList<long> cells, long total, bool totalShown) =>
        totalShown || Threshold <= 0
            ? Apply(cells, total).Cells
            : cells.Select(c => c == 0 ? (long?)0 : null).ToArray();
}
