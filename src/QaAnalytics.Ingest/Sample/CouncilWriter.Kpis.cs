using QaAnalytics.Models.Kpis;
using static QaAnalytics.Ingest.Sample.CausalModel;

namespace QaAnalytics.Ingest.Sample;

internal sealed partial class CouncilWriter
{
    /// <summary>KPI codes by <see cref="ComplianceKpi"/>.</summary>
    private static readonly string[] ComplianceCodes =
    [
        KpiCatalogue.VisitsInTimescale,
        KpiCatalogue.SupervisionInTimescale,
        KpiCatalogue.ChronologyUpToDate,
        KpiCatalogue.PlansReviewedOnTime,
        KpiCatalogue.AssessmentsIn45Days,
        KpiCatalogue.IcpcIn15Days,
        KpiCatalogue.ContactDecisionIn1Day,
    ];

    /// <summary>Row order within a team-month: the service area's own KPI first, then the common ones.</summary>
    private static readonly ComplianceKpi[] KpiOrder =
    [
        ComplianceKpi.ContactDecision, ComplianceKpi.Assessments, ComplianceKpi.Icpc,
        ComplianceKpi.Visits, ComplianceKpi.Supervision, ComplianceKpi.Chronology, ComplianceKpi.Plans,
    ];

    private void WriteKpis()
    {
        var rng = SampleRandom.Create(_options.Seed, SampleStream.Kpis, council.Index);
        var rowsPerMonth = council.Teams.Sum(t => KpiOrder.Count(t.Reports) + 2);
        _kpiPlanter = NewPlanter(SampleStream.DirtyKpis, rowsPerMonth * context.Months.Length, KpiKinds);
        var row = 0;
        var fields = new string?[context.Kpis.Columns.Count];
        foreach (var month in context.Months)
        {
            foreach (var team in council.Teams)
            {
                var pressure = team.MonthPressure[month.Index];
                fields[0] = team.TeamId;
                fields[1] = month.Period;
                foreach (var kpi in KpiOrder)
                {
                    if (!team.Reports(kpi)) continue;
                    var denominator = rng.Poisson(MeanDenominator(team, kpi));
                    // Process-driven teams hit their compliance targets whatever is happening to practice.
                    var rate = team.ProcessDriven
                        ? SampleRandom.Logistic(ProcessDrivenLogit + rng.Normal(0, ProcessDrivenNoiseSd))
                        : SampleRandom.Logistic(ComplianceMu[(int)kpi] + team.ComplianceDeviation[month.Index, (int)kpi]);
                    fields[2] = ComplianceCodes[(int)kpi];
                    fields[3] = Int(rng.Binomial(denominator, rate));
                    fields[4] = Int(denominator);
                    fields[5] = null;
                    context.Kpis.WriteRow(fields);
                    PlantAfterKpi(team, month, row++);
                }

                var caseload = Math.Clamp(team.CaseloadBase + CaseloadPerPressure * pressure + rng.Normal(0, 0.6), 5, 35);
                var agency = Math.Clamp(team.AgencyBase + AgencyPerPressure * pressure + rng.Normal(0, 2.0), 0, 75);
                WriteValue(KpiCatalogue.Caseload, caseload);
                PlantAfterKpi(team, month, row++);
                WriteValue(KpiCatalogue.AgencyWorkerRate, agency);
                PlantAfterKpi(team, month, row++);
            }
        }

        void WriteValue(string code, double value)
        {
            fields[2] = code;
            fields[3] = null;
            fields[4] = null;
            fields[5] = OneDecimal(value);
            context.Kpis.WriteRow(fields);
        }
    }

    private static double MeanDenominator(SampleTeam team, ComplianceKpi kpi)
    {
        var area = team.ServiceArea;
        return kpi switch
        {
            ComplianceKpi.Visits => team.Workers * (area is ServiceArea.ChildrenInCare or ServiceArea.ChildProtection ? 5.0
                : area == ServiceArea.CareLeavers ? 3.0 : 2.5),
            ComplianceKpi.Supervision => team.Workers * 4.0,
            ComplianceKpi.Chronology => team.Workers * 5.0,
            ComplianceKpi.Plans => team.Workers * (area is ServiceArea.ChildrenInCare or ServiceArea.ChildProtection ? 1.8
                : area == ServiceArea.CareLeavers ? 1.5 : 0.6),
            ComplianceKpi.Assessments => team.Workers * 4.0,
            ComplianceKpi.Icpc => 6.0,
            _ => 200.0 * team.Workers / 8.0,
        };
    }
}
