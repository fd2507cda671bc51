using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Testing;

/// <summary>
/// Real names to mix into fuzzed requests, read from the service's own catalogue: councils, service
/// areas, team ids, KPI codes, measure names and their dimensions, plus the fixed words of the contract.
/// </summary>
public sealed record FuzzVocabulary(IReadOnlyDictionary<string, string[]> Words)
{
    /// <summary>Every word, for fields with no list of their own (filter values, say).</summary>
    public string[] All { get; } = [.. Words.Values.SelectMany(w => w).Distinct(StringComparer.Ordinal)];

    public static async Task<FuzzVocabulary> FromCatalogueAsync(Contracts.V1.QaAnalytics.QaAnalyticsClient client, CancellationToken ct = default)
    {
        var tables = await ArrowChunkReader.ReadAsync(client.GetCatalogue(new CatalogueRequest(), deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: ct), ct);
        string[] Column(string table, string column) =>
        [
            .. tables.Where(t => t.Metadata.Table == table).SelectMany(t => t.Rows)
                .Select(r => r.GetValueOrDefault(column)?.ToString()).OfType<string>().Distinct(StringComparer.Ordinal),
        ];
        var words = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["la_codes"] = Column("teams", "la_code"),
            ["service_areas"] = Column("teams", "service_area"),
            ["team_ids"] = Column("teams", "team_id"),
            ["kpi_codes"] = Column("kpis", "kpi_code"),
            ["measures"] = Column("measures", "name"),
            ["dimension"] = [.. Column("measures", "dimensions").SelectMany(d => d.Split(", ")).Distinct(StringComparer.Ordinal)],
            ["audit_types"] = ["case", "collaborative", "thematic", "re-audit"],
            ["bands"] = ["high", "watch", "low"],
            ["values"] = ["case", "Good", "Inadequate", "stage_1", "stage_2", "complaint", "compliment", "Voice of the child", "M1", "W1"],
        };
        words["dimensions"] = words["dimension"];
        return new FuzzVocabulary(words);
    }

    /// <summary>The list for a field (by its proto name), or every word.</summary>
    public string[] For(string field) => Words.TryGetValue(field, out var w) && w.Length > 0 ? w : All;
}

/// <summary>
/// Random requests for every RPC of the contract, built from the protobuf descriptors (so a new RPC
/// or field is fuzzed without a change here): strings mixing real names with SQL fragments, unicode,
/// blanks and huge values; months valid and not; enum numbers defined and undefined; negative, NaN,
/// infinite and huge numbers; repeated fields empty, short and long. One seed, one sequence.
/// </summary>
public sealed class RequestFuzzer(int seed, FuzzVocabulary vocabulary)
{
    /// <summary>The contract's one service: every RPC in it is fuzzed.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Service => QaAnalyticsReflection.Descriptor.Services.Single();

    /// <summary>A request stays under the 4 MB a gRPC server accepts by default (a bigger one is refused before the service sees it).</summary>
    private const int MaxRequestBytes = 3_000_000;

    private static readonly string[] Junk =
    [
        "", " ", "\t", "\n", "null", "NULL", "*", "%", "_", "\\", "'", "\"", "0", "-1", "1e309", "NaN", "true",
        "'; DROP TABLE fact_audit; --", "' OR '1'='1", "1 OR 1=1", "\" OR \"\"=\"", "$la_0", "?", "la_code", "la_code, team_id",
        "') UNION SELECT child_key FROM fact_audit --", "read_csv('/etc/passwd')", "); COPY fact_audit TO '/tmp/x.csv'; --",
        "/* */", "--", ";", "getvariable('x')", "${jndi:ldap://x}", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0",
        "Ünïcødé", "Ōtautahi", "日本語", "🙂👶🏽", "\u0000", "\uFEFF", "\u202Eevil", "e\u0301", "\uD800", "\u00A0", "ß", "İ", "ﬁ",
        "../../etc/passwd", "C:\\Windows", "<script>alert(1)</script>", "%s%n%x", "{0}", "\r\n\r\n",
    ];

    private static readonly string[] BadMonths =
    [
        "2024-13", "2024-00", "2024-1", "24-01", "2024/01", "01/2024", "2024-01-15", "2024-02-30", "2014-12", "2031-01", "9999-12",
        "0000-01", "-2024-01", "2024-W01", "２０２４-０１", "2024–01", " 2024-05 ", "2024-05\n", "202405", "2024-5-1",
    ];

    private static readonly double[] OddDoubles =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue, double.Epsilon, -double.Epsilon,
        0, -0.0, -1, 1, 100, 101, 1e308, -1e308, 1e-308, 0.5, 99.999999, 1.0000001,
    ];

    private readonly Random _random = new(seed);

    /// <summary>At most one huge string per request, so that requests stay under <see cref="MaxRequestBytes"/>.</summary>
    private bool _hugeLeft;

    /// <summary>This request's chance that a value is wild rather than sane, so that some requests get past argument checking into the queries.</summary>
    private double _wild;

    private static readonly double[] Wildness = [0.0, 0.05, 0.2, 0.5, 1.0];

    private bool Sane => _random.NextDouble() >= _wild;

    /// <summary>A random request for <paramref name="method"/>.</summary>
    public IMessage Request(MethodDescriptor method)
    {
        for (var attempt = 0; ; attempt++)
        {
            _hugeLeft = true;
            _wild = Wildness[_random.Next(Wildness.Length)];
            var message = Message(method.InputType, depth: 0);
            if (message.CalculateSize() <= MaxRequestBytes || attempt > 20) return message;
        }
    }

    private IMessage Message(MessageDescriptor descriptor, int depth)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (_random.NextDouble() < 0.3) continue;  // left unset
            if (field.IsMap) continue;
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                var count = Sane ? _random.Next(0, 3) : Pick(0.3, 0.5, 0.15) switch { 0 => 0, 1 => _random.Next(1, 4), 2 => _random.Next(4, 51), _ => _random.Next(200, 2001) };
                for (var i = 0; i < count; i++) list.Add(Value(field, depth));
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, depth));
            }
        }
        return message;
    }

    private object Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String when Sane => SaneText(field.Name),
        FieldType.String => Text(field.Name),
        FieldType.Double when Sane => _random.NextDouble() * (_random.Next(2) == 0 ? 1 : 100),
        FieldType.Double => Double(),
        FieldType.Int32 when Sane => _random.Next(0, 20),
        FieldType.Enum when Sane => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[_random.Next(field.EnumType.Values.Count)].Number),
        FieldType.Float => (float)Double(),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Int32(),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)Int32() * (_random.Next(2) == 0 ? 1 : 1_000_000_007L),
        FieldType.UInt32 or FieldType.Fixed32 => unchecked((uint)Int32()),
        FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)Int32()),
        FieldType.Bool => _random.Next(2) == 0,
        FieldType.Bytes => ByteString.CopyFrom(RandomBytes(_random.Next(0, 64))),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, EnumNumber(field.EnumType)),
        FieldType.Message when depth < 3 => Message(field.MessageType, depth + 1),
        FieldType.Message => Activator.CreateInstance(field.MessageType.ClrType)!,
        _ => throw new NotSupportedException($"field {field.FullName} of type {field.FieldType}"),
    };

    private string SaneText(string field)
    {
        if (field.EndsWith("month", StringComparison.Ordinal)) return $"{_random.Next(2015, 2031)}-{_random.Next(1, 13):00}";
        var real = vocabulary.For(field);
        return real[_random.Next(real.Length)];
    }

    /// <summary>A string for a field: real names for it (or any real name), months for month fields, junk, unicode, huge.</summary>
    private string Text(string field)
    {
        var real = vocabulary.For(field);
        var month = field.EndsWith("month", StringComparison.Ordinal);
        return Pick(0.45, 0.15, 0.2, 0.1, 0.05) switch
        {
            0 when month => $"{_random.Next(2013, 2033)}-{_random.Next(1, 13):00}",
            0 => real[_random.Next(real.Length)],
            1 when month => BadMonths[_random.Next(BadMonths.Length)],
            1 => Mutate(real[_random.Next(real.Length)]),
            2 => Junk[_random.Next(Junk.Length)],
            3 => vocabulary.All[_random.Next(vocabulary.All.Length)],
            4 => RandomUnicode(_random.Next(1, 40)),
            _ when !_hugeLeft => Junk[_random.Next(Junk.Length)],
            _ => Huge(),
        };
    }

    private string Huge()
    {
        _hugeLeft = false;
        return new string((char)_random.Next('a', 'z' + 1), _random.Next(10_000, 1_000_000));
    }

    private string Mutate(string word) => _random.Next(6) switch
    {
        0 => word.ToUpperInvariant(),
        1 => " " + word + " ",
        2 => word + "'",
        3 => word + Junk[_random.Next(Junk.Length)],
        4 => word.Length > 1 ? word[..^1] : word + word,
        _ => word + "\u0000",
    };

    private string RandomUnicode(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(4) switch
            {
                0 => (char)_random.Next(0x20, 0x7F),
                1 => (char)_random.Next(0x00, 0x20),
                2 => (char)_random.Next(0x80, 0xD800),
                _ => (char)_random.Next(0xE000, 0xFFFE),
            });
        }
        return text.ToString();
    }

    private double Double() => Pick(0.4, 0.3) switch
    {
        0 => OddDoubles[_random.Next(OddDoubles.Length)],
        1 => _random.NextDouble(),
        _ => (_random.NextDouble() - 0.3) * Math.Pow(10, _random.Next(0, 12)),
    };

    private int Int32() => Pick(0.3, 0.5) switch
    {
        0 => new[] { int.MinValue, int.MaxValue, -1, 0, 1, 1_000_000 }[_random.Next(6)],
        1 => _random.Next(0, 20),
        _ => _random.Next(int.MinValue, int.MaxValue),
    };

    private int EnumNumber(EnumDescriptor type) => Pick(0.8, 0.1) switch
    {
        0 => type.Values[_random.Next(type.Values.Count)].Number,
        1 => _random.Next(-3, type.Values.Max(v => v.Number) + 4),
        _ => _random.Next(int.MinValue, int.MaxValue),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The index of the branch chosen, given the chances of all but the last (which takes the rest).</summary>
    private int Pick(params double[] chances)
    {
        var roll = _random.NextDouble();
        for (var i = 0; i < chances.Length; i++)
        {
            if (roll < chances[i]) return i;
            roll -= chances[i];
        }
        return chances.Length;
    }

    /// <summary>Calls <paramref name="method"/> with <paramref name="request"/> through the descriptor, reads and decodes every table.</summary>
    public static async Task<Status> CallAsync(CallInvoker invoker, MethodDescriptor method, IMessage request, TimeSpan deadline, CancellationToken ct = default)
    {
        var rpc = new Method<IMessage, ArrowChunk>(MethodType.ServerStreaming, method.Service.FullName, method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), method.InputType.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), ArrowChunk.Parser.ParseFrom));
        try
        {
            using var call = invoker.AsyncServerStreamingCall(rpc, null, new CallOptions(deadline: DateTime.UtcNow + deadline, cancellationToken: ct), request);
            await ArrowChunkReader.ReadAsync(call, ct);
            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }
}

/// <summary>One request whose answer was not an allowed status: what was asked, and what came back.</summary>
public sealed record FuzzFailure(string Rpc, Status Status, string Request);

/// <summary>Counts per RPC and status, and the requests that got a status outside the allowed set.</summary>
public sealed class FuzzReport
{
    /// <summary>
    /// What a service may answer to any request: OK, a refusal naming the bad field, an unknown name,
    /// or (with authentication) a refusal of the caller. Unknown, Internal, DeadlineExceeded (a hang
    /// under a generous deadline), Unavailable or anything else is a bug.
    /// </summary>
    public static readonly IReadOnlySet<StatusCode> Allowed = new HashSet<StatusCode>
    {
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.PermissionDenied, StatusCode.Unauthenticated,
    };

    private readonly Dictionary<(string Rpc, StatusCode Status), int> _counts = [];
    private readonly List<FuzzFailure> _failures = [];

    public int Calls { get; private set; }

    public IReadOnlyList<FuzzFailure> Failures => _failures;

    public IReadOnlyDictionary<(string Rpc, StatusCode Status), int> Counts => _counts;

    public int Count(StatusCode status) => _counts.Where(c => c.Key.Status == status).Sum(c => c.Value);

    public void Add(string rpc, Status answer, IMessage request)
    {
        var status = answer.StatusCode;
        lock (_counts)
        {
            Calls++;
            _counts[(rpc, status)] = _counts.GetValueOrDefault((rpc, status)) + 1;
            if (!Allowed.Contains(status))
            {
                // As the service received it: strings through UTF-8 (a lone surrogate becomes U+FFFD).
                _failures.Add(new FuzzFailure(rpc, answer, JsonFormatter.Default.Format(request.Descriptor.Parser.ParseFrom(request.ToByteString()))));
            }
        }
    }

    /// <summary>Calls every RPC in turn with random requests from <paramref name="seed"/> until <paramref name="calls"/> calls or <paramref name="duration"/> have passed.</summary>
    public static async Task<FuzzReport> RunAsync(CallInvoker invoker, FuzzVocabulary vocabulary, int seed, int calls, TimeSpan duration, TimeSpan deadline,
        FuzzReport? into = null, CancellationToken ct = default)
    {
        var report = into ?? new FuzzReport();
        var fuzzer = new RequestFuzzer(seed, vocabulary);
        var methods = RequestFuzzer.Service.Methods;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls && clock.Elapsed < duration; i++)
        {
            var method = methods[i % methods.Count];
            var request = fuzzer.Request(method);
            report.Add(method.Name, await RequestFuzzer.CallAsync(invoker, method, request, deadline, ct), request);
        }
        return report;
    }

    /// <summary>Counts per status code, then a table of RPC × status code.</summary>
    public void Print(TextWriter log)
    {
        var statuses = _counts.Keys.Select(k => k.Status).Distinct().Order().ToList();
        log.WriteLine($"{Calls:N0} calls; by status: " + string.Join(", ", statuses.Select(s => $"{s} {Count(s):N0}")));
        log.WriteLine($"  {"rpc",-24}" + string.Concat(statuses.Select(s => $" {s,16}")));
        foreach (var rpc in _counts.Keys.Select(k => k.Rpc).Distinct().Order(StringComparer.Ordinal))
        {
            log.WriteLine($"  {rpc,-24}" + string.Concat(statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $" {_counts.GetValueOrDefault((rpc, s)),16:N0}"))));
        }
        log.WriteLine(_failures.Count == 0 ? "0 calls outside OK, InvalidArgument, NotFound, PermissionDenied, Unauthenticated" : $"{_failures.Count} call(s) with a status outside the allowed set:");
        foreach (var f in _failures.Take(20)) log.WriteLine($"  {f.Rpc} → {f.Status.StatusCode} ({Cut(f.Status.Detail, 300)}): {Cut(f.Request, 2_000)}");
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] + "…" : text;
}
