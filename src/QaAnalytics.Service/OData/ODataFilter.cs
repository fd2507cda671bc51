using System.Globalization;
using Microsoft.OData.UriParser;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.OData;

/// <summary>An OData request the feed cannot answer, naming the query option at fault (400 with an OData error body).</summary>
public sealed class ODataRequestException(string target, string message) : Exception(message)
{
    public string Target { get; } = target;
}

/// <summary>
/// Walks a parsed <c>$filter</c> (<see cref="FilterClause"/>) twice. Once for what narrows the
/// semantic query itself — councils, service areas and teams named by <c>eq</c>/<c>in</c>, and
/// <c>period_start</c> bounds widened to whole periods of the set's grain — which become request
/// fields, so they reach SQL as parameters like any RPC argument. Once into a predicate over the
/// computed rows, which applies the whole filter exactly (after suppression, so a withheld cell
/// is null and matches no comparison). Nothing of the filter becomes SQL text.
/// </summary>
public static class ODataFilter
{
    private static readonly string[] ScopeColumns = ["la_code", "service_area", "team_id"];

    /// <summary>Request parameters (as <c>/api/v1</c> names them) the filter's top-level conjunction implies.</summary>
    public static Dictionary<string, List<string>> Pushdown(SingleValueNode? node, TimeGrain? grain)
    {
        var pushed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        DateOnly? from = null, to = null;
        Walk(node);
        if (from is { } f) pushed["from"] = [f.ToString("yyyy-MM", CultureInfo.InvariantCulture)];
        if (to is { } t) pushed["to"] = [t.ToString("yyyy-MM", CultureInfo.InvariantCulture)];
        return pushed;

        void Walk(SingleValueNode? n)
        {
            switch (Strip(n))
            {
                case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and:
                    Walk(and.Left);
                    Walk(and.Right);
                    break;
                case BinaryOperatorNode b when Property(b.Left) is { } p && Strip(b.Right) is ConstantNode c:
                    Compare(p, b.OperatorKind, c.Value);
                    break;
                case InNode { Right: CollectionConstantNode list } @in when Property(@in.Left) is { } p && ScopeColumns.Contains(p):
                    var values = list.Collection.Select(v => v.Value as string).ToList();
                    if (values.All(v => v is not null)) Narrow(p, values!);
                    break;
            }
        }

        void Compare(string property, BinaryOperatorKind op, object? value)
        {
            if (op == BinaryOperatorKind.Equal && ScopeColumns.Contains(property) && value is string text)
            {
                Narrow(property, [text]);
            }
            else if (property == ODataModel.PeriodStart && grain is { } g && AsDate(value) is { } date)
            {
                // Whole periods only: a quarter read from a month inside it would hold part of its audits.
                var period = PeriodOf(g, date);
                if (op is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equal) from = Max(from, period.Start);
                if (op is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equal) to = Min(to, period.LastMonth);
            }
        }

        void Narrow(string property, List<string> values)
        {
            // Two conditions on one column: both hold only for values in both lists.
            pushed[property] = pushed.TryGetValue(property, out var had) ? [.. had.Intersect(values, StringComparer.Ordinal)] : values;
            if (pushed[property].Count == 0) pushed[property] = ["\u0000no value matches\u0000"];
        }
    }

    private static (DateOnly Start, DateOnly LastMonth) PeriodOf(TimeGrain grain, DateOnly date)
    {
        var period = PeriodGrain.Of(grain);
        var start = period.Start(date);
        return (start, start.AddMonths(Math.Max(period.Months, 1) - 1));
    }

    private static DateOnly? Max(DateOnly? a, DateOnly b) => a is { } x && x > b ? x : b;

    private static DateOnly? Min(DateOnly? a, DateOnly b) => a is { } x && x < b ? x : b;

    private static SingleValueNode? Strip(SingleValueNode? node) => node is ConvertNode convert ? Strip(convert.Source) : node;

    private static string? Property(SingleValueNode node) => Strip(node) is SingleValuePropertyAccessNode p ? p.Property.Name : null;

    /// <summary>The filter as a predicate over rows laid out as <paramref name="columns"/>.</summary>
    public static Func<object?[], bool> Compile(SingleValueNode node, IReadOnlyDictionary<string, int> columns)
    {
        var expression = Build(node, columns);
        return row => expression(row) is true;
    }

    private static Func<object?[], object?> Build(SingleValueNode node, IReadOnlyDictionary<string, int> columns)
    {
        switch (node)
        {
            case ConstantNode c:
                var constant = Normalise(c.Value);
                return _ => constant;
            case ConvertNode convert:
                return Build(convert.Source, columns);
            case SingleValuePropertyAccessNode p:
                var index = columns.TryGetValue(p.Property.Name, out var i) ? i : throw new ODataRequestException("$filter", $"{p.Property.Name} is not a property of this entity set");
                return row => row[index];
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                var operand = Build(not.Operand, columns);
                return row => operand(row) is bool b ? !b : null;
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Negate } negate:
                var value = Build(negate.Operand, columns);
                return row => value(row) switch { long l => -l, double d => -d, _ => null };
            case BinaryOperatorNode b:
                return Binary(b.OperatorKind, Build(b.Left, columns), Build(b.Right, columns));
            case InNode { Right: CollectionConstantNode list } @in:
                var left = Build(@in.Left, columns);
                var values = list.Collection.Select(v => Normalise(v.Value)).ToList();
                return row => left(row) is { } x ? values.Any(v => v is not null && Comparison(x, v) == 0) : null;
            case SingleValueFunctionCallNode call:
                return Function(call, [.. call.Parameters.Select(a => a is SingleValueNode s ? Build(s, columns) : throw Unsupported(call.Name))]);
            default:
                throw new ODataRequestException("$filter", $"{node.Kind} expressions are not supported in $filter");
        }
    }

    private static Func<object?[], object?> Binary(BinaryOperatorKind op, Func<object?[], object?> left, Func<object?[], object?> right) => op switch
    {
        BinaryOperatorKind.And => row => (left(row), right(row)) switch { (false, _) or (_, false) => false, (true, true) => true, _ => null },
        BinaryOperatorKind.Or => row => (left(row), right(row)) switch { (true, _) or (_, true) => true, (false, false) => false, _ => null },
        BinaryOperatorKind.Equal => row => Equal(left(row), right(row)),
        BinaryOperatorKind.NotEqual => row => !Equal(left(row), right(row)),
        BinaryOperatorKind.GreaterThan => row => Ordered(left(row), right(row), c => c > 0),
        BinaryOperatorKind.GreaterThanOrEqual => row => Ordered(left(row), right(row), c => c >= 0),
        BinaryOperatorKind.LessThan => row => Ordered(left(row), right(row), c => c < 0),
        BinaryOperatorKind.LessThanOrEqual => row => Ordered(left(row), right(row), c => c <= 0),
        BinaryOperatorKind.Add => row => Arithmetic(left(row), right(row), (a, b) => a + b),
        BinaryOperatorKind.Subtract => row => Arithmetic(left(row), right(row), (a, b) => a - b),
        BinaryOperatorKind.Multiply => row => Arithmetic(left(row), right(row), (a, b) => a * b),
        BinaryOperatorKind.Divide => row => Arithmetic(left(row), right(row), (a, b) => b == 0 ? double.NaN : a / b),
        _ => throw new ODataRequestException("$filter", $"the operator {op} is not supported in $filter"),
    };

    private static Func<object?[], object?> Function(SingleValueFunctionCallNode call, Func<object?[], object?>[] args) => (call.Name, args.Length) switch
    {
        ("contains", 2) => row => Text(args, row) is var (a, b) ? a.Contains(b, StringComparison.Ordinal) : null,
        ("startswith", 2) => row => Text(args, row) is var (a, b) ? a.StartsWith(b, StringComparison.Ordinal) : null,
        ("endswith", 2) => row => Text(args, row) is var (a, b) ? a.EndsWith(b, StringComparison.Ordinal) : null,
        ("tolower", 1) => row => (args[0](row) as string)?.ToLowerInvariant(),
        ("toupper", 1) => row => (args[0](row) as string)?.ToUpperInvariant(),
        ("trim", 1) => row => (args[0](row) as string)?.Trim(),
        ("length", 1) => row => args[0](row) is string s ? (long)s.Length : null,
        ("year", 1) => row => args[0](row) is DateOnly d ? (long)d.Year : null,
        ("month", 1) => row => args[0](row) is DateOnly d ? (long)d.Month : null,
        ("day", 1) => row => args[0](row) is DateOnly d ? (long)d.Day : null,
        ("round", 1) => row => Number(args[0](row)) is { } n ? Math.Round(n, MidpointRounding.AwayFromZero) : null,
        ("floor", 1) => row => Number(args[0](row)) is { } n ? Math.Floor(n) : null,
        ("ceiling", 1) => row => Number(args[0](row)) is { } n ? Math.Ceiling(n) : null,
        _ => throw Unsupported(call.Name),
    };

    private static ODataRequestException Unsupported(string function) =>
        new("$filter", $"the function {function} is not supported in $filter (supported: contains, startswith, endswith, tolower, toupper, trim, length, year, month, day, round, floor, ceiling)");

    private static (string, string)? Text(Func<object?[], object?>[] args, object?[] row) =>
        args[0](row) is string a && args[1](row) is string b ? (a, b) : null;

    private static bool Equal(object? a, object? b) => a is null || b is null ? a is null && b is null : Comparison(a, b) == 0;

    private static object? Ordered(object? a, object? b, Func<int, bool> test) => a is null || b is null ? null : test(Comparison(a, b));

    private static object? Arithmetic(object? a, object? b, Func<double, double, double> op) =>
        Number(a) is { } x && Number(b) is { } y ? op(x, y) : null;

    private static double? Number(object? value) => value switch
    {
        long l => l,
        double d => d,
        _ => null,
    };

    /// <summary>Orders two non-null values of the same kind (numbers compare across integer and floating types).</summary>
    public static int Comparison(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ when Number(a) is { } x && Number(b) is { } y => x.CompareTo(y),
        _ => throw new ODataRequestException("$filter", $"cannot compare {a.GetType().Name} with {b.GetType().Name}"),
    };

    /// <summary>Literal values as the rows hold them: integers as long, decimals as double, Edm.Date as DateOnly.</summary>
    private static object? Normalise(object? value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte b => (long)b,
        decimal d => (double)d,
        float f => (double)f,
#pragma warning disable CS0618 // ODL 8 still hands Edm.Date literals over as Microsoft.OData.Edm.Date.
        Microsoft.OData.Edm.Date d => new DateOnly(d.Year, d.Month, d.Day),
#pragma warning restore CS0618
        DateTime t => new DateTimeOffset(t),
        _ => value,
    };

    private static DateOnly? AsDate(object? value) => Normalise(value) as DateOnly?;
}
