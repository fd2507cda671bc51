using QaAnalytics.Models.Storage;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Service.Sql;

namespace QaAnalytics.Tests.Service.Semantic;

/// <summary>
/// The semantic source "audit" is v_audit without its two joins for grade names (source_audit.sql,
/// issue 13): on the generated sample it must hold exactly v_audit's rows, every column alike.
/// </summary>
public sealed class AuditSourceTests(SampleServiceFixture fixture) : IClassFixture<SampleServiceFixture>
{
    [Fact]
    public void AuditSource_TheSameRowsAsTheView()
    {
        var source = QaModel.Sources["audit"].From;
        Assert.Contains(SqlText.Get("source_audit.sql"), source, StringComparison.Ordinal);
        using var connection = SnapshotDatabase.OpenReadOnly(SnapshotLink.Published(fixture.DbPath));
        using var cmd = connection.CreateCommand();
        const string view = "(SELECT * EXCLUDE (effective_grade_name, overall_grade_name) FROM v_audit)";
        cmd.CommandText = $"""
            SELECT (SELECT count(*) FROM {source} AS s),
                   (SELECT count(*) FROM v_audit),
                   (SELECT count(*) FROM (SELECT * FROM {source} AS s EXCEPT ALL SELECT * FROM {view})),
                   (SELECT count(*) FROM (SELECT * FROM {view} EXCEPT ALL SELECT * FROM {source} AS s))
            """;
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        var (rows, viewRows, onlySource, onlyView) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        Assert.True(rows > 1000, $"{rows} rows");
        Assert.Equal(viewRows, rows);
        Assert.Equal(0, onlySource);
        Assert.Equal(0, onlyView);
    }
}
