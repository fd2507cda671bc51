using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Audits;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>The SQL helpers the loader validates with, held against the C# domain they mirror.</summary>
public sealed class ValidationSqlTests : IDisposable
{
    private readonly DuckDBConnection _db = new("Data Source=:memory:");
    private readonly IDisposable _hmac;

    public ValidationSqlTests()
    {
        _db.Open();
        _hmac = new Loader(Pseudonymiser.Demo(), new FixedTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero))).PrepareDatabase(_db);
    }

    public void Dispose()
    {
        _db.Dispose();
        _hmac.Dispose();
    }

    private T Eval<T>(string expression, string text)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT {expression}($x)";
        cmd.Parameters.Add(new DuckDBParameter("x", text));
        var value = cmd.ExecuteScalar();
        return value is null or DBNull ? default! : (T)value;
    }

    [Theory]
    [InlineData("Good")]
    [InlineData("  good ")]
    [InlineData("GOOD")]
    [InlineData("Outstanding")]
    [InlineData("RI")]
    [InlineData("r.i.")]
    [InlineData("R/I")]
    [InlineData("Requires improvement to be good")]
    [InlineData("Requires  Improvement")]
    [InlineData("requires-improvement")]
    [InlineData("Inadequate")]
    [InlineData("1")]
    [InlineData("4")]
    [InlineData("Satisfactory")]
    [InlineData("5")]
    [InlineData("Good/RI")]
    [InlineData("")]
    public void GradeCode_AgreesWithGradeParser(string text)
    {
        var expected = GradeParser.TryParse(text, out var grade) ? (int?)grade : null;
        Assert.Equal(expected, Eval<int?>("grade_code", text));
    }

    [Fact]
    public void GradeCode_EveryAliasInAnyCase_AgreesWithGradeParser()
    {
        foreach (var (alias, grade) in GradeParser.Aliases)
        {
            Assert.Equal((int)grade, Eval<int?>("grade_code", alias));
            Assert.Equal((int)grade, Eval<int?>("grade_code", " " + alias.ToUpperInvariant() + " "));
        }
    }

    [Theory]
    [InlineData("2024-02-03", "2024-02-03")]
    [InlineData("2024-2-3", "2024-02-03")]
    [InlineData("03/02/2024", "2024-02-03")]  // UK order: 3 February, never 2 March
    [InlineData("3/2/2024", "2024-02-03")]
    [InlineData(" 03/02/2024 ", "2024-02-03")]
    [InlineData("03/02/2024 00:00", "2024-02-03")]
    [InlineData("03/02/2024 00:00:00", "2024-02-03")]
    [InlineData("2024-02-03 00:00:00", "2024-02-03")]
    [InlineData("12/25/2024", null)]
    [InlineData("31/02/2024", null)]
    [InlineData("2024-02-30", null)]
    [InlineData("yesterday", null)]
    public void QaDate_ReadsIsoAndUkDatesOnly(string text, string? expected)
    {
        var value = Eval<DateOnly?>("qa_date", text);
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("12/25/2024", "US month/day order")]
    [InlineData("31/02/2024", "not a real calendar date")]
    [InlineData("2024-02-30", "not a real calendar date")]
    [InlineData("next week", "is not a date")]
    [InlineData("01/02/2031", "outside the supported range")]
    [InlineData("1/2/23", "outside the supported range")]
    public void DateProblem_SaysWhatIsWrong(string text, string expected)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT date_problem($x, qa_date($x))";
        cmd.Parameters.Add(new DuckDBParameter("x", text));
        Assert.Contains(expected, (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void DimDate_CarriesFinancialQuartersAndEnglandAndWalesBankHolidays()
    {
        var rows = Query.Rows(_db, """
            SELECT date_key, financial_year, financial_quarter_label, bank_holiday, is_working_day
            FROM dim_date WHERE date_key IN ('2022-01-15', '2022-03-31', '2022-04-01', '2022-06-03', '2022-09-19', '2023-05-08')
            ORDER BY date_key
            """);
        Assert.Equal(["2021/22", "2021/22 Q4"], rows[0][1..3]);
        Assert.Equal(["2021/22", "2021/22 Q4"], rows[1][1..3]);
        Assert.Equal(["2022/23", "2022/23 Q1"], rows[2][1..3]);
        Assert.Equal([false, false, false], rows[3..].Select(r => r[4]));
        Assert.Contains("Jubilee", (string)rows[3][3]!);
        Assert.Contains("State Funeral", (string)rows[4][3]!);
        Assert.Contains("coronation", (string)rows[5][3]!);
        Assert.Equal(5844L, Query.Scalar<long>(_db, "SELECT count(*) FROM dim_date"));
    }

    [Fact]
    public void HmacInSql_EqualsDotNetHmacSha256()
    {
        var key = Pseudonymiser.FromText("a council key that is long enough to be accepted here");
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var hmac = PseudonymFunction.Register(db, key);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT qa_hmac($x)";
        cmd.Parameters.Add(new DuckDBParameter("x", "CHILD-123 é"));
        Assert.Equal(key.Pseudonymise("CHILD-123 é"), (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void QaHmac_OverManyRowsOnSeveralThreads_EqualsDotNetHmacSha256ForEachAndNullForNull()
    {
        // More rows than one vector, so DuckDB calls the function many times and in parallel.
        using var cmd = _db.CreateCommand();
        cmd.CommandText = """
            SELECT x, qa_hmac(x) FROM (SELECT CASE WHEN i % 1000 = 7 THEN NULL ELSE 'CHILD-' || i || ' ü' END AS x FROM range(50000) r(i))
            """;
        using var reader = cmd.ExecuteReader();
        var demo = Pseudonymiser.Demo();
        var (rows, nulls) = (0, 0);
        while (reader.Read())
        {
            rows++;
            if (reader.IsDBNull(0))
            {
                Assert.True(reader.IsDBNull(1));
                nulls++;
                continue;
            }
            Assert.Equal(demo.Pseudonymise(reader.GetString(0)), reader.GetString(1));
        }
        Assert.Equal((50000, 50), (rows, nulls));
    }

    [Fact]
    public void QaHmac_WithoutAKey_IsNull()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var hmac = PseudonymFunction.Register(db, null);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT qa_hmac('CHILD-1') IS NULL";
        Assert.True((bool)cmd.ExecuteScalar()!);
    }
}
