using System.Globalization;
using DuckDB.NET.Data;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

/// <summary>
/// What every grouped question shares: the organisation level and time grain as identifiers from
/// fixed lists, the period range and scope as parameters. Fills <c>{org}</c>, <c>{period}</c> and
/// <c>{scope}</c> in a SQL template.
/// </summary>
internal sealed record GroupedSql(string[] Org, string Period, string Scope, Dictionary<string, object?> Parameters)
{
    public static GroupedSql From(Scope? scope, PeriodRange? period, OrgLevel groupBy, PeriodGrain grain)
    {
        var (from, to) = QueryArguments.Months(period);
        var org = QueryArguments.OrgColumns(groupBy);
        var periodColumn = grain.Column;
        var parameters = new Dictionary<string, object?> { ["from"] = from, ["to"] = to };
        var filter = QueryArguments.ScopeFilter(scope, parameters);
        return new GroupedSql(org, periodColumn, filter, parameters);
    }

    public string Fill(string template) => template
        .Replace("{org}", string.Join(", ", Org), StringComparison.Ordinal)
        .Replace("{period}", Period, StringComparison.Ordinal)
        .Replace("{scope}", Scope, StringComparison.Ordinal);

    /// <summary>Runs <paramref name="sql"/> with the parameters and returns each row by column name.</summary>
    public List<Dictionary<string, object?>> Read(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var cancel = ct.Register(cmd.Cancel);  // a deadline or a cancelled call interrupts DuckDB
        foreach (var (name, value) in Parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        using var reader = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static long Count(IReadOnlyDictionary<string, object?> row, string column) =>
        row[column] is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;
}
