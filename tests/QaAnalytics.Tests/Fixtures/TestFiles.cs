using System.Text;
using DuckDB.NET.Data;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>A temporary folder of input files and a database path beside it, removed afterwards.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Directory.CreateTempSubdirectory("qa-test-").FullName;
        Input = Path.Combine(Root, "in");
        Directory.CreateDirectory(Input);
        DbPath = Path.Combine(Root, "db", "qa.duckdb");
    }

    public string Root { get; }

    public string Input { get; }

    public string DbPath { get; }

    public TestFiles Write(string name, string text, Encoding? encoding = null)
    {
        File.WriteAllText(Path.Combine(Input, name), text.ReplaceLineEndings("\r\n"), encoding ?? new UTF8Encoding(false));
        return this;
    }

    public void Delete(string name) => File.Delete(Path.Combine(Input, name));

    /// <summary>Opens the published database read-only, as the service and notebooks do.</summary>
    public DuckDBConnection OpenReader()
    {
        var connection = new DuckDBConnection($"Data Source={DbPath};ACCESS_MODE=READ_ONLY");
        connection.Open();
        return connection;
    }

    public T Scalar<T>(string sql)
    {
        using var connection = OpenReader();
        return Query.Scalar<T>(connection, sql);
    }

    public List<object?[]> Rows(string sql)
    {
        using var connection = OpenReader();
        return Query.Rows(connection, sql);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

public static class Query
{
    public static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        if (typeof(T) == typeof(object)) return (T)value!;
        if (value is System.Numerics.BigInteger big) value = (decimal)big;
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<object?[]> Rows(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        }
        return rows;
    }
}
