using Google.Protobuf;
using Google.Protobuf.Reflection;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Security;

/// <summary>
/// What one request may hold: at most <see cref="MaxListItems"/> values in any list (scope ids,
/// filter values, KPI codes, measures, dimensions, audit types, bands), each at most
/// <see cref="MaxValueLength"/> characters and free of control characters (a NUL cut
/// <c>800-T02\u0000junk</c> to <c>800-T02</c> on its way into DuckDB; bidi overrides make an id
/// read as another). Broken limits are <see cref="BadArgumentException"/>s naming the field and the limit.
/// </summary>
public static class RequestLimits
{
    /// <summary>Values in one list of a request.</summary>
    public const int MaxListItems = 100;

    /// <summary>Characters in one value of a request.</summary>
    public const int MaxValueLength = 200;

    /// <summary>Checks a list of a request (before any value is trimmed or looked up).</summary>
    public static void CheckList(string field, IReadOnlyCollection<string>? values)
    {
        if (values is null) return;
        if (values.Count > MaxListItems)
        {
            throw new BadArgumentException(field, $"at most {MaxListItems} values may be asked for at once (the request has {values.Count:N0})");
        }
        foreach (var value in values) CheckValue(field, value);
    }

    /// <summary>Checks one value of a request: its length and that it holds no control or bidi-override character.</summary>
    public static void CheckValue(string field, string? value)
    {
        if (value is null) return;
        if (value.Length > MaxValueLength)
        {
            throw new BadArgumentException(field, $"a value may be at most {MaxValueLength} characters (one has {value.Length:N0})");
        }
        foreach (var c in value)
        {
            if (IsForbidden(c))
            {
                throw new BadArgumentException(field, $"a value holds the control character U+{(int)c:X4}; ids are printable text");
            }
        }
    }

    /// <summary>Control characters (C0, DEL, C1) and the Unicode bidi controls (embeddings, overrides, isolates, marks).</summary>
    public static bool IsForbidden(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Every list and text value of a request message, nested messages included, named by its
    /// path (<c>scope.la_codes</c>, <c>filters.values</c>): run before a call waits for a query
    /// slot, so an oversized request is refused at once and holds nothing.
    /// </summary>
    public static void Check(IMessage message, string prefix = "")
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated && value is System.Collections.IList list)
            {
                if (list.Count > MaxListItems)
                {
                    throw new BadArgumentException(name, $"at most {MaxListItems} values may be asked for at once (the request has {list.Count:N0})");
                }
                foreach (var item in list)
                {
                    if (item is string text) CheckValue(name, text);
                    else if (item is IMessage nested) Check(nested, name + ".");
                }
            }
            else if (field.FieldType == FieldType.String)
            {
                CheckValue(name, (string)value);
            }
            else if (field.FieldType == FieldType.Message && value is IMessage nested)
            {
                Check(nested, name + ".");
            }
        }
    }

    /// <summary>The scope and filter lists of a request.</summary>
    internal static void Check(AccessRequest request)
    {
        CheckList("scope.la_codes", request.Scope?.LaCodes);
        CheckList("scope.service_areas", request.Scope?.ServiceAreas);
        CheckList("scope.team_ids", request.Scope?.TeamIds);
        CheckList("dimensions", request.Dimensions as IReadOnlyCollection<string>);
        CheckList("filters", request.Filters.Keys.ToList());
        foreach (var (dimension, values) in request.Filters) CheckList($"filters.{dimension}", values as IReadOnlyCollection<string>);
    }
}
