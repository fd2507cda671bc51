using System.Text.RegularExpressions;

namespace QaAnalytics.Service.Privacy;

/// <summary>
/// Record and cell keys of the cell key method. Every fact row carries a <c>record_key</c>, a
/// uniform integer in [0, 2^32) fixed at ingest (from the council's pseudonymisation secret and the
/// row's natural key, so a reload keeps it) and never served. A cell's key is the sum of its
/// records' keys modulo 2^32, over 2^32: the same records always give the same key, so the same
/// cell always gets the same noise, whatever query it appears in.
/// </summary>
public static partial class CellKey
{
    /// <summary>The record keys' range: [0, Modulus).</summary>
    public const long Modulus = 1L << 32;

    /// <summary>The column of every fact table (and semantic source) that holds the record key.</summary>
    public const string Column = "record_key";

    /// <summary>
    /// The SQL for the cell key of a count, from the count's own SQL: the records it counts, summed
    /// by key instead. <c>count(*) …</c>, <c>count(x) …</c> and <c>CAST(sum(x) … AS BIGINT)</c>
    /// (a sum of case counts over monthly rows: its records are the rows with a value) are understood.
    /// </summary>
    public static string Sql(string countSql)
    {
        string keySum;
        if (StarCount().Match(countSql) is { Success: true } star)
        {
            keySum = $"sum({Column}){star.Groups["rest"].Value}";
        }
        else if (ColumnCount().Match(countSql) is { Success: true } column)
        {
            keySum = $"sum(CASE WHEN {column.Groups["col"].Value} IS NOT NULL THEN {Column} END){column.Groups["rest"].Value}";
        }
        else if (CastSum().Match(countSql) is { Success: true } sum)
        {
            keySum = $"sum(CASE WHEN {sum.Groups["col"].Value} IS NOT NULL THEN {Column} END){sum.Groups["rest"].Value}";
        }
        else
        {
            throw new InvalidOperationException($"No cell key for a count written '{countSql}'.");
        }
        return $"CAST(coalesce(({keySum}) % {Modulus}, 0) AS DOUBLE)";
    }

    /// <summary>A cell key in [0, 1) from a sum of record keys (taken modulo 2^32; rolling windows add cells' keys).</summary>
    public static double FromSum(double keySum)
    {
        var k = (long)keySum % Modulus;
        if (k < 0) k += Modulus;
        return k / (double)Modulus;
    }

    [GeneratedRegex(@"^count\(\*\)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex StarCount();

    [GeneratedRegex(@"^count\((?<col>\w+)\)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex ColumnCount();

    [GeneratedRegex(@"^CAST\(sum\((?<col>\w+)\)(?<rest>.*) AS BIGINT\)$", RegexOptions.Singleline)]
    private static partial Regex CastSum();
}
