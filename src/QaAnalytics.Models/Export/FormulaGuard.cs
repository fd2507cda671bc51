namespace QaAnalytics.Models.Export;

/// <summary>
/// Keeps a text cell from being run as a formula when a spreadsheet opens an exported file (CSV or
/// formula injection, OWASP): a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab,
/// a carriage return or a line feed (or the full-width <c>＝ ＋ － ＠</c> that some spreadsheets
/// also read as operators) gets a leading single quote, so it shows as the text it was.
/// </summary>
public static class FormulaGuard
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

    public static string? Neutralise(string? cell) =>
        string.IsNullOrEmpty(cell) || Array.IndexOf(Triggers, cell[0]) < 0 ? cell : "'" + cell;
}
