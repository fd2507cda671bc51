using System.Text;
using QaAnalytics.Ingest.Loading;

namespace QaAnalytics.Tests.Ingest.Loading;

public sealed class CsvLayoutTests
{
    private static CsvLayout Read(string text) => CsvLayout.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Read_PlainFile_HasHeaderAndNoLineMap()
    {
        var layout = Read("\uFEFFa,\"b, with comma\",\"c \"\"q\"\"\"\r\n1,2,3\r\n4,5,6\r\n");
        Assert.Equal(["a", "b, with comma", "c \"q\""], layout.Header);
        Assert.Null(layout.DataLines);
        Assert.Equal(7, layout.PhysicalLine(7));
    }

    [Fact]
    public void Read_DuplicateAndEmptyHeaders_AreMadeUnique()
    {
        Assert.Equal(["x", "X_2", "column3", "x_3"], Read("x,X,,x\n1,2,3,4\n").Header);
    }

    [Fact]
    public void Read_BlankLinesAndQuotedLineBreaks_MapReaderLinesToPhysicalLines()
    {
        // physical: 1 header, 2 a, 3 blank, 4-5 quoted break, 6 b
        var layout = Read("h1,h2\n1,a\n\n2,\"x\ny\"\n3,b\n");
        Assert.Equal([1L, 2L, 3L, 4L, 6L], layout.LineStarts!);
        Assert.Equal([2L, 4L, 5L], layout.DataLines!);
        Assert.Equal(6, layout.PhysicalLine(5));
    }

    [Fact]
    public void Read_HeaderOnly_HasNoDataLines()
    {
        var layout = Read("a,b\n");
        Assert.Equal(["a", "b"], layout.Header);
        Assert.Null(layout.DataLines);
    }
}
