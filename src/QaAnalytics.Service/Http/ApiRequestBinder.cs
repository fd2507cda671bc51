using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Primitives;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Errors;

namespace QaAnalytics.Service.Http;

/// <summary>
/// Fills an RPC's request message from a URL's query string, so an HTTP result takes exactly the
/// parameters its RPC does: <c>group_by</c> and <c>grain</c> by short name, <c>from</c>/<c>to</c> as
/// <c>yyyy-mm</c>, <c>la_code</c>/<c>service_area</c>/<c>team_id</c> (repeatable) for the scope, and any
/// other field of the message by its proto name. Values are only ever put into the message: what
/// reaches SQL is decided by the query layer, as for gRPC. A parameter the result does not take is
/// refused, naming it.
/// </summary>
public static class ApiRequestBinder
{
    /// <summary>Parameters every result takes that are not request fields (the response format, credentials).</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal) { "format", "api_key" };

    private static readonly IReadOnlyDictionary<string, OrgLevel> Levels = new Dictionary<string, OrgLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["council"] = OrgLevel.Council, ["service_area"] = OrgLevel.ServiceArea, ["service-area"] = OrgLevel.ServiceArea, ["team"] = OrgLevel.Team,
    };

    private static readonly IReadOnlyDictionary<string, TimeGrain> Grains = new Dictionary<string, TimeGrain>(StringComparer.OrdinalIgnoreCase)
    {
        ["month"] = TimeGrain.Month, ["quarter"] = TimeGrain.FinancialQuarter, ["financial_quarter"] = TimeGrain.FinancialQuarter,
        ["year"] = TimeGrain.FinancialYear, ["financial_year"] = TimeGrain.FinancialYear, ["all"] = TimeGrain.All,
        ["rolling12"] = TimeGrain.Rolling12Months, ["rolling_12_months"] = TimeGrain.Rolling12Months,
    };

    private static readonly (string Parameter, string Field)[] ScopeParameters =
        [("la_code", "la_codes"), ("service_area", "service_areas"), ("team_id", "team_ids")];

    /// <summary>The parameters a request message takes, as URL parameter names (for error messages and the index).</summary>
    public static IReadOnlyList<string> Parameters(MessageDescriptor descriptor)
    {
        var names = new List<string>();
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            switch (field.Name)
            {
                case "scope": names.AddRange(ScopeParameters.Select(p => p.Parameter)); break;
                case "period": names.AddRange(["from", "to"]); break;
                default: names.Add(field.Name); break;
            }
        }
        return names;
    }

    /// <summary>Fills <paramref name="request"/> from <paramref name="query"/>; a bad or unknown parameter is a <see cref="BadArgumentException"/> naming it.</summary>
    public static void Bind(IMessage request, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var descriptor = request.Descriptor;
        foreach (var (name, values) in query)
        {
            if (Reserved.Contains(name)) continue;
            if (ScopeParameters.FirstOrDefault(p => p.Parameter == name) is { Field: { } scopeField } && descriptor.FindFieldByName("scope") is { } scope)
            {
                var message = (Scope)(scope.Accessor.GetValue(request) ?? new Scope());
                scope.Accessor.SetValue(request, message);
                var list = (Google.Protobuf.Collections.RepeatedField<string>)Scope.Descriptor.FindFieldByName(scopeField).Accessor.GetValue(message);
                list.AddRange(values.Select(v => v ?? ""));
            }
            else if (name is "from" or "to" && descriptor.FindFieldByName("period") is { } period)
            {
                var range = (PeriodRange)(period.Accessor.GetValue(request) ?? new PeriodRange());
                period.Accessor.SetValue(request, range);
                if (name == "from") range.FromMonth = Single(name, values);
                else range.ToMonth = Single(name, values);
            }
            else if (descriptor.FindFieldByName(name) is { } field && field.FieldType != FieldType.Message)
            {
                SetField(request, field, name, values);
            }
            else
            {
                throw new BadArgumentException(name, $"is not a parameter of this result; it takes {string.Join(", ", Parameters(descriptor).Concat(["format"]))}");
            }
        }
    }

    private static void SetField(IMessage request, FieldDescriptor field, string name, StringValues values)
    {
        if (field.IsRepeated)
        {
            var list = (System.Collections.IList)field.Accessor.GetValue(request);
            foreach (var value in values) list.Add(Parse(field, name, value ?? ""));
            return;
        }
        field.Accessor.SetValue(request, Parse(field, name, Single(name, values)));
    }

    private static object Parse(FieldDescriptor field, string name, string text)
    {
        text = text.Trim();
        object? value = field.FieldType switch
        {
            FieldType.String => text,
            FieldType.Bool => bool.TryParse(text, out var b) ? b : text == "1" ? true : text == "0" ? false : null,
            FieldType.Double => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
            FieldType.Int32 => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            FieldType.Enum when field.EnumType.ClrType == typeof(OrgLevel) => Levels.TryGetValue(text, out var level) ? level : null,
            FieldType.Enum when field.EnumType.ClrType == typeof(TimeGrain) => Grains.TryGetValue(text, out var grain) ? grain : null,
            _ => null,
        };
        return value ?? throw new BadArgumentException(name, $"'{text}' is not {Expected(field)}");
    }

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Bool => "true or false",
        FieldType.Double => "a number",
        FieldType.Int32 => "a whole number",
        FieldType.Enum when field.EnumType.ClrType == typeof(OrgLevel) => "one of " + string.Join(", ", Levels.Keys.Where(k => !k.Contains('-', StringComparison.Ordinal))),
        FieldType.Enum when field.EnumType.ClrType == typeof(TimeGrain) => "one of " + string.Join(", ", Grains.Keys),
        _ => "a value this parameter takes",
    };

    private static string Single(string name, StringValues values) => values.Count == 1
        ? values[0] ?? ""
        : throw new BadArgumentException(name, "is given more than once");
}
