using System.Text.Json;
using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Ingest.Export;

/// <summary>One table of an export: where it is, how it is partitioned, its rows and files.</summary>
public sealed record ExportedTable(string Name, string Path, IReadOnlyList<string> PartitionedBy, long Rows, int Files);

/// <summary>What an export wrote: the snapshot it is of, and its tables.</summary>
public sealed record ExportManifest(string SnapshotId, DateTime SnapshotCreatedAt, int SchemaVersion, string PseudonymKey, DateTimeOffset ExportedAt,
    IReadOnlyList<ExportedTable> Tables);

/// <summary>
/// <c>qa-ingest export parquet</c>: the star schema of the published snapshot as Parquet for
/// engines beyond one machine (Spark, Trino, Databricks, Fabric). Fact tables are Hive-partitioned
/// by council and financial year (<c>fact_audit/la_code=938/financial_year=2024-25/*.parquet</c>),
/// dimensions are one file each, and <c>manifest.json</c> names the snapshot. Written by DuckDB's
/// own Parquet writer from the read-only snapshot. Children appear only as the pseudonym
/// <c>child_key</c>: the snapshot holds no raw child id to export.
/// </summary>
public static class ParquetExport
{
    public const string ManifestFile = "manifest.json";

    /// <summary>Fact tables and the date each is partitioned by (fixed identifiers).</summary>
    private static readonly (string Table, string DateColumn)[] Facts =
        [("fact_audit", "audit_date"), ("fact_audit_request", "sent_date"), ("fact_kpi", "period"), ("fact_complaint", "received_date")];

    private static readonly string[] Dimensions = ["dim_team", "dim_date", "dim_grade", "dim_kpi", "risk_flags", "risk_model"];

    private static readonly string[] Partitions = ["la_code", "financial_year"];

    public static ExportManifest Write(string dbPath, string outDir, DateTimeOffset now)
    {
        using var snapshot = ReadOnlySnapshot.Open(dbPath);
        var connection = snapshot.Connection;
        Directory.CreateDirectory(outDir);
        var tables = new List<ExportedTable>();
        foreach (var (table, date) in Facts)
        {
            var select = SqlScripts.Get("export_fact.sql").Replace("{table}", table, StringComparison.Ordinal).Replace("{date_column}", date, StringComparison.Ordinal);
            tables.Add(Copy(connection, table, select, outDir, Partitions));
        }
        foreach (var table in Dimensions)
        {
            if (!connection.HasTable(table)) continue;
            tables.Add(Copy(connection, table, $"SELECT * FROM {table}", outDir, []));
        }
        var info = snapshot.Info ?? throw new InvalidDataException($"{dbPath} has no snapshot_info row: not a published snapshot");
        var manifest = new ExportManifest(info.SnapshotId, info.CreatedAt, info.SchemaVersion, info.PseudonymKey, now, tables);
        File.WriteAllText(Path.Combine(outDir, ManifestFile), JsonSerializer.Serialize(manifest, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }));
        return manifest;
    }

    private static ExportedTable Copy(DuckDBConnection connection, string table, string select, string outDir, string[] partitions)
    {
        var target = partitions.Length > 0 ? Path.Combine(outDir, table) : Path.Combine(outDir, table + ".parquet");
        // COPY takes no parameter for its target: the path is the operator's own --out, quoted.
        var options = partitions.Length > 0 ? $"FORMAT parquet, COMPRESSION snappy, PARTITION_BY ({string.Join(", ", partitions)})" : "FORMAT parquet, COMPRESSION snappy";
        using (var copy = connection.CreateCommand())
        {
            copy.CommandText = $"COPY ({select}) TO '{Path.GetFullPath(target).Replace("'", "''", StringComparison.Ordinal)}' ({options})";
            copy.ExecuteNonQuery();
        }
        var rows = connection.Scalar<long>($"SELECT count(*) FROM {table}");
        var files = partitions.Length > 0 ? Directory.GetFiles(target, "*.parquet", SearchOption.AllDirectories).Length : 1;
        var relative = Path.GetRelativePath(outDir, target) + (partitions.Length > 0 ? "/" : "");
        return new ExportedTable(table, relative, partitions, rows, files);
    }

    /// <summary>Reads a written manifest back.</summary>
    public static ExportManifest ReadManifest(string outDir) =>
        JsonSerializer.Deserialize<ExportManifest>(File.ReadAllText(Path.Combine(outDir, ManifestFile)), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidDataException("empty manifest");
}
