using System.Globalization;
using System.Text;

namespace QaAnalytics.Service.Security;

/// <summary>
/// Request values as written to the access log: escaped, so a newline or other control character
/// in a requested id cannot forge a log line (it is written as <c>\n</c>, <c>\u0000</c>…), and
/// capped, so one request cannot write a huge line.
/// </summary>
public static class LogText
{
    /// <summary>Characters of one value written before it is cut (with "…").</summary>
    public const int MaxValueLength = 64;

    /// <summary>Values of one list written; the rest are counted ("+N more").</summary>
    public const int MaxValues = 20;

    /// <summary>Characters of one logged field (a list, a reason) at most.</summary>
    public const int MaxLength = 2000;

    /// <summary>A value with control, bidi and backslash characters escaped, cut at <see cref="MaxValueLength"/>.</summary>
    public static string Escape(string? value, int maxLength = MaxValueLength)
    {
        if (value is null) return "";
        var builder = new StringBuilder(Math.Min(value.Length, maxLength) + 8);
        var i = 0;
        for (; i < value.Length && builder.Length < maxLength; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (RequestLimits.IsForbidden(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        if (i < value.Length) builder.Append(CultureInfo.InvariantCulture, $"…(+{value.Length - i:N0} chars)");
        return builder.ToString();
    }

    /// <summary>A list of values, each escaped, at most <see cref="MaxValues"/> of them, capped at <see cref="MaxLength"/>.</summary>
    public static string List(IReadOnlyList<string> values)
    {
        var shown = string.Join(",", values.Take(MaxValues).Select(v => Escape(v)));
        if (values.Count > MaxValues) shown += $",…(+{values.Count - MaxValues:N0} more)";
        return shown.Length <= MaxLength ? shown : shown[..MaxLength] + "…";
    }
}
