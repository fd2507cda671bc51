using QaAnalytics.Service.Privacy;

namespace QaAnalytics.Service.Semantic;

/// <summary>The one SQL statement a semantic query runs, its parameters, and the label of the look-back period its rows start with (if any).</summary>
public sealed record SqlPlan(string Sql, IReadOnlyDictionary<string, object?> Parameters, string? LookbackLabel);

/// <summary>
/// Plans the SQL of a semantic query: a pure function of the resolved spec (no connection, no
/// clock). One CTE per source (counts grouped by the keys), joined on the keys they share;
/// identifiers come from the model, values are parameters. The result's columns are the keys, the
/// attributes, the counts in slot order, then (with cell keys) each count's sum of record keys.
/// </summary>
public static class SqlPlanner
{
    /// <summary>
    /// Rolling windows read months from 11 before the first window (12 when comparing); a comparison
    /// also reads the whole period before the range (whose rows come first, are only compared with,
    /// then dropped), and nothing in between.
    /// </summary>
    public static SqlPlan Plan(ResolvedSpec spec, bool cellKeys)
    {
        var parameters = new Dictionary<string, object?> { ["until"] = spec.To.AddMonths(1) };
        if (spec.Grain.IsRolling)
        {
            parameters["from"] = spec.From.AddMonths(spec.Comparing ? -12 : -11);
            return new SqlPlan(Sql(spec, parameters, lookback: false, cellKeys), parameters, null);
        }
        parameters["from"] = spec.From;
        if (spec.Comparing && spec.Grain.Lookback(spec.From) is { } back && back.From >= QueryArguments.Earliest)
        {
            var label = spec.Grain.Label(back.From);
            parameters["back_from"] = back.From;
            parameters["back_until"] = back.To.AddMonths(1);
            parameters["back_label"] = label;
            return new SqlPlan(Sql(spec, parameters, lookback: true, cellKeys), parameters, label);
        }
        return new SqlPlan(Sql(spec, parameters, lookback: false, cellKeys), parameters, null);
    }

    private static string Sql(ResolvedSpec spec, Dictionary<string, object?> parameters, bool lookback, bool cellKeys)
    {
        var dimensions = spec.Spec.Dimensions;
        var period = spec.Grain.Column;
        var scope = QueryArguments.ScopeFilter(spec.Spec.Scope, parameters);
        var filterIndex = 0;
        var ctes = new List<string>();
        var joined = new List<string>();
        var from = new System.Text.StringBuilder();
        var attributeSources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, i) in spec.Sources.Select((s, i) => (s, i)))
        {
            var source = QaModel.Sources[name];
            var dims = dimensions.Where(source.Dimensions.ContainsKey).ToList();
            var select = new List<string>(spec.Org) { $"{period} AS period" };
            select.AddRange(dims.Select(d => $"{source.Dimensions[d].Column} AS {d}"));
            var attributes = dims.SelectMany(d => QaModel.Dimensions[d].Attributes).Select(a => a.Name).Where(a => !dimensions.Contains(a)).Distinct().ToList();
            select.AddRange(attributes);
            foreach (var attribute in attributes) (attributeSources.TryGetValue(attribute, out var list) ? list : attributeSources[attribute] = []).Add($"s{i}");
            var counts = spec.Needed.Where(m => QaModel.Counts[m].Source == name).ToList();
            select.AddRange(counts.Select(m => $"CAST({QaModel.Counts[m].Sql} AS DOUBLE) AS {m}"));
            if (cellKeys) select.AddRange(counts.Select(m => $"{CellKeySql(spec, m)} AS ck_{m}"));
            var date = source.DateColumn;
            var where = new List<string>
            {
                (lookback ? $"(({date} >= $from AND {date} < $until) OR ({date} >= $back_from AND {date} < $back_until))" : $"{date} >= $from AND {date} < $until") + scope,
            };
            where.AddRange(dims.Select(d => source.Dimensions[d].WhenGrouped).OfType<string>());
            if (spec.Org.Length > 1 && source.BelowCouncil is { } below) where.Add(below);
            foreach (var (dimension, values) in spec.Spec.Filters)
            {
                var column = ResolvedSpec.IsOrgDimension(dimension) ? dimension : source.Dimensions[dimension].Column;
                var names = values.Select(v =>
                {
                    var p = $"f_{filterIndex++}";
                    parameters[p] = v;
                    return "$" + p;
                });
                where.Add($"{column} IN ({string.Join(", ", names)})");
            }
            ctes.Add($"s{i} AS (\n  SELECT {string.Join(", ", select)}\n  FROM {source.From} AS src\n  WHERE {string.Join(" AND ", where)}\n  GROUP BY ALL)");

            var keys = spec.Org.Append("period").Concat(dims).ToList();
            if (i == 0)
            {
                from.Append("s0");
            }
            else
            {
                var on = keys.Where(k => joined.Contains(k));
                from.Append(spec.Spec.Repeated.Contains(name) ? " LEFT JOIN " : " FULL JOIN ").Append($"s{i} USING ({string.Join(", ", on)})");
            }
            joined.AddRange(keys.Where(k => !joined.Contains(k)));
        }
        var outputs = spec.KeyColumns
            .Concat(spec.Attributes.Select(a => attributeSources[a.Name] is [var only] ? $"{only}.{a.Name}" : $"coalesce({string.Join(", ", attributeSources[a.Name].Select(s => $"{s}.{a.Name}"))}) AS {a.Name}"))
            .Concat(spec.Needed.Select(m => QaModel.Counts[m].ZeroWhenMissing ? $"coalesce({m}, 0) AS {m}" : m))
            .Concat(cellKeys ? spec.Needed.Select(m => $"coalesce(ck_{m}, 0) AS ck_{m}") : []);
        // Look-back rows first: they are dropped after the comparison, and the rest pass through as whole batches or slices.
        var order = (lookback ? "period = $back_label DESC, " : "") + string.Join(", ", spec.KeyColumns);
        return $"WITH {string.Join(",\n", ctes)}\nSELECT {string.Join(", ", outputs)}\nFROM {from}\nORDER BY {order}";
    }

    /// <summary>The cell key of a count: counts of records have one; sums of scores or values are not counts and have none.</summary>
    private static string CellKeySql(ResolvedSpec spec, string measure) =>
        spec.Disclosive[spec.Slot[measure]] ? CellKey.Sql(QaModel.Counts[measure].Sql) : "CAST(0 AS DOUBLE)";
}
