using System.Globalization;
using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Ingest.Sample;

/// <summary>
/// Writes one council's rows to every file. Split by file: <c>CouncilWriter.Audits.cs</c>,
/// <c>.Kpis.cs</c>, <c>.Complaints.cs</c>, and the planted bad rows in <c>.Dirty.cs</c>. Each file
/// draws from its own random stream, and the dirty streams are separate again, so a dirty run
/// contains the clean run's rows unchanged.
/// </summary>
internal sealed partial class CouncilWriter(SampleContext context, SampleCouncil council)
{
    private readonly SampleOptions _options = context.Options;
    private readonly WorkingCalendar _calendar = context.Calendar;

    public void WriteAll()
    {
        WriteTeams();
        var audits = WriteAudits();
        WriteRequests(audits);
        WriteKpis();
        WriteComplaints();
        WriteTruth();
    }

    private void WriteTeams()
    {
        foreach (var team in council.Teams)
        {
            context.Teams.WriteRow([team.LaCode, team.TeamId, team.Name, team.ServiceArea, null]);
            if (_options.Dirty && team.Name.Any(ch => ch > '\u007f'))
            {
                context.ExpectOddity(context.Teams, "team_name", PlantedOddityKind.NonAsciiCp1252);
            }
        }
    }

    private void WriteTruth()
    {
        var quarters = _options.Years * 4;
        foreach (var team in council.Teams)
        {
            for (var t = 0; t < quarters; t++)
            {
                var start = context.First.AddMonths(3 * t);
                var decline = team.Quality[t + 1] - team.Quality[t] <= -CausalModel.DeclineThreshold;
                context.TeamQuarters.WriteRow(
                [
                    team.TeamId,
                    FinancialPeriod.QuarterLabel(start),
                    Iso(start),
                    Fixed3(team.Pressure[t]),
                    Fixed3(team.Quality[t]),
                    YesNo(team.ProcessDriven),
                    YesNo(decline),
                    YesNo(team.Episode[t]),
                ]);
            }
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Uk(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OneDecimal(double value) => (Math.Round(value, 1) + 0.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Fixed3(double value) => (Math.Round(value, 3) + 0.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string YesNo(bool value) => value ? "Y" : "N";
}
