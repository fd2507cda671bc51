using DuckDB.NET.Data;

namespace QaAnalytics.Models.Storage;

/// <summary>The connection strings of a snapshot file: written here once.</summary>
public static class SnapshotDatabase
{
    /// <summary>
    /// A read-only connection to a snapshot file already resolved (and checked, through
    /// <see cref="ReadOnlySnapshot.Open"/>, by whoever resolved it): cheap while another connection
    /// to the same file stays open.
    /// </summary>
    public static DuckDBConnection OpenReadOnly(string file) => Open($"Data Source={file};ACCESS_MODE=READ_ONLY");

    /// <summary>
    /// The same, with DuckDB's thread count set. The count belongs to the database instance, and
    /// DuckDB.NET keeps one instance per data source name and applies settings only when it opens
    /// it: name the same file another way (<c>dir/./qa.duckdb</c>) for an instance of its own.
    /// </summary>
    public static DuckDBConnection OpenReadOnly(string file, int threads) => Open($"Data Source={file};ACCESS_MODE=READ_ONLY;threads={threads}");

    /// <summary>A read-write connection to a snapshot being built (a private <c>.partial</c> copy), or to a scratch copy.</summary>
    public static DuckDBConnection OpenWritable(string file) => Open($"Data Source={file}");

    private static DuckDBConnection Open(string connectionString)
    {
        var connection = new DuckDBConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
