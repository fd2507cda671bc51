using System.Globalization;

namespace QaAnalytics.Ingest.Sample;

/// <summary>One calendar month of the data: index from the first month, its first day and its working days.</summary>
internal sealed record SampleMonth(int Index, DateOnly Start, DateOnly[] WorkingDays)
{
    public int Quarter => Index / 3;

    public string Period => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
