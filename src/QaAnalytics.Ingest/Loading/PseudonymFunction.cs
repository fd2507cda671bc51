using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Data.DataChunk.Reader;
using DuckDB.NET.Data.DataChunk.Writer;

namespace QaAnalytics.Ingest.Loading;

/// <summary>
/// The SQL function <c>qa_hmac(text)</c>: the <see cref="Pseudonymiser"/>'s HMAC-SHA256 of the
/// text's UTF-8 bytes, as lower-case hex, or NULL for NULL (and for every row when the load has no
/// key). DuckDB calls it a vector of up to 2,048 values at a time, from several threads at once;
/// each call takes one keyed HMAC from a pool, so the key schedule is computed once per thread,
/// not once per id. It replaces a SQL macro over sha256() that cost four hash blocks a row.
/// </summary>
internal sealed class PseudonymFunction : IDisposable
{
    public const string Name = "qa_hmac";

    private readonly Pseudonymiser? _key;
    private readonly ConcurrentBag<IncrementalHash> _pool = [];

    private PseudonymFunction(Pseudonymiser? key) => _key = key;

    /// <summary>Registers <c>qa_hmac</c> on <paramref name="connection"/>; dispose the result after the connection.</summary>
    public static PseudonymFunction Register(DuckDBConnection connection, Pseudonymiser? key)
    {
        var function = new PseudonymFunction(key);
        connection.RegisterScalarFunction<string, string>(Name, function.Invoke, new ScalarFunctionOptions { IsPureFunction = true, HandlesNulls = true });
        return function;
    }

    private void Invoke(IReadOnlyList<IDuckDBDataReader> readers, IDuckDBDataWriter writer, ulong rows)
    {
        var input = readers[0];
        if (_key is null)
        {
            for (ulong i = 0; i < rows; i++) writer.WriteNull(i);
            return;
        }
        var hmac = _pool.TryTake(out var pooled) ? pooled : _key.NewHmac();
        try
        {
            Span<byte> digest = stackalloc byte[32];
            Span<char> hex = stackalloc char[64];
            byte[] buffer = [];
            for (ulong i = 0; i < rows; i++)
            {
                if (!input.IsValid(i))
                {
                    writer.WriteNull(i);
                    continue;
                }
                var text = input.GetValue<string>(i);
                var length = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (buffer.Length < length) buffer = new byte[Math.Max(length, 256)];
                hmac.AppendData(buffer, 0, Encoding.UTF8.GetBytes(text, buffer));
                hmac.GetHashAndReset(digest);
                Convert.TryToHexStringLower(digest, hex, out _);
                writer.WriteValue(new string(hex), i);
            }
        }
        finally
        {
            _pool.Add(hmac);
        }
    }

    public void Dispose()
    {
        while (_pool.TryTake(out var hmac)) hmac.Dispose();
    }
}
