using System.Globalization;
using DuckDB.NET.Data;

namespace QaAnalytics.Models.Storage;

/// <summary>Parameterised DuckDB commands: the one place a <c>(name, value)</c> list becomes <see cref="DuckDBParameter"/>s.</summary>
public static class DuckDbCommands
{
    /// <summary>A command with <paramref name="sql"/> and its parameters bound by name (null as SQL NULL); the caller disposes it.</summary>
    public static DuckDBCommand Command(this DuckDBConnection connection, string sql, params IEnumerable<(string Name, object? Value)> parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        return cmd;
    }

    /// <summary>Runs a statement (or a parameterless script); returns the rows it changed.</summary>
    public static int Execute(this DuckDBConnection connection, string sql, params IEnumerable<(string Name, object? Value)> parameters)
    {
        using var cmd = connection.Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, converted to <typeparamref name="T"/> (default when there is none or it is NULL).</summary>
    public static T Scalar<T>(this DuckDBConnection connection, string sql, params IEnumerable<(string Name, object? Value)> parameters)
    {
        using var cmd = connection.Command(sql, parameters);
        var result = cmd.ExecuteScalar();
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the database has a table or view called <paramref name="name"/>.</summary>
    public static bool HasTable(this DuckDBConnection connection, string name) =>
        connection.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = $name", ("name", name)) > 0;
}
