using System.Globalization;
using DuckDB.NET.Data;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Models.Risk;

/// <summary>Reads the feature table (<c>Sql/risk_features.sql</c>) from a snapshot.</summary>
public static class RiskFeatureReader
{
    public static List<TeamQuarter> Read(DuckDBConnection connection, RiskLabel label)
    {
        using var cmd = connection.Command(RiskSql.Get("risk_features.sql"),
            ("min_audits", label.MinAudits), ("min_reference_audits", label.MinReferenceAudits), ("score_drop", label.ScoreDrop), ("share_drop", label.ShareDrop));
        using var reader = cmd.ExecuteReader();
        var ordinals = RiskFeatures.Columns.ToDictionary(c => c, reader.GetOrdinal, StringComparer.Ordinal);
        int O(string name) => reader.GetOrdinal(name);
        var (team, la, area, name, quarter, start, index, declined) =
            (O("team_id"), O("la_code"), O("service_area"), O("team_name"), O("quarter_label"), O("quarter_start"), O("quarter_index"), O("declined_next_quarter"));
        var rows = new List<TeamQuarter>();
        while (reader.Read())
        {
            var row = new TeamQuarter
            {
                TeamId = reader.GetString(team),
                LaCode = reader.GetString(la),
                ServiceArea = reader.GetString(area),
                TeamName = reader.GetString(name),
                Quarter = reader.GetString(quarter),
                QuarterStart = DateOnly.FromDateTime(reader.GetDateTime(start)),
                QuarterIndex = Convert.ToInt32(reader.GetValue(index), CultureInfo.InvariantCulture),
                Declined = reader.IsDBNull(declined) ? null : reader.GetBoolean(declined),
            };
            foreach (var (column, ordinal) in ordinals)
            {
                row.Set(column, reader.IsDBNull(ordinal) ? float.NaN : (float)Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture));
            }
            rows.Add(row);
        }
        return rows;
    }
}
