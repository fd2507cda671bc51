using Apache.Arrow;
using QaAnalytics.Service.Arrow;

namespace QaAnalytics.Tests.Service.Arrow;

public sealed class ArrowConcatTests
{
    /// <summary>
    /// Against Apache.Arrow's own concatenator, value by value: every type DuckDB's results use, with
    /// and without nulls, arrays whose lengths are not whole bytes of bits, and arrays that are
    /// slices of larger ones (an offset into their buffers).
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Concatenate_GivesWhatApacheArrowsConcatenatorGives(bool withNulls, bool sliced)
    {
        var random = new Random(13);
        var lengths = new[] { 2048, 2048, 13, 2048, 1, 700 };
        foreach (var make in Makers)
        {
            var parts = lengths.Select(n =>
            {
                var whole = make(random, n + (sliced ? 11 : 0), withNulls);
                return sliced ? ArrowArrayFactory.Slice(whole, 5, n) : whole;
            }).ToList();

            var ours = ArrowConcat.Concatenate(parts);
            var theirs = ArrowArrayConcatenator.Concatenate(parts);

            Assert.Equal(theirs.Length, ours.Length);
            Assert.Equal(theirs.NullCount, ours.NullCount);
            Assert.Equal(theirs.Data.DataType.TypeId, ours.Data.DataType.TypeId);
            if (withNulls) Assert.True(ours.NullCount > 0);
            for (var i = 0; i < ours.Length; i++)
            {
                Assert.Equal(theirs.IsNull(i), ours.IsNull(i));
                Assert.Equal(Value(theirs, i), Value(ours, i));
            }
        }
    }

    [Fact]
    public void Concatenate_OfOneArray_IsThatArraysValues_AndOfNone_IsRefused()
    {
        var one = new StringArray.Builder().Append("a").AppendNull().Append("c").Build();
        var joined = (StringArray)ArrowConcat.Concatenate([one]);
        Assert.Equal(new[] { "a", null, "c" }, Enumerable.Range(0, 3).Select(i => joined.GetString(i)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArrowConcat.Concatenate([]));
    }

    private static readonly Func<Random, int, bool, IArrowArray>[] Makers =
    [
        (r, n, nulls) => Build(new Int64Array.Builder(), n, nulls, r, (b, _) => b.Append(r.NextInt64()), b => b.AppendNull()),
        (r, n, nulls) => Build(new Int32Array.Builder(), n, nulls, r, (b, _) => b.Append(r.Next()), b => b.AppendNull()),
        (r, n, nulls) => Build(new DoubleArray.Builder(), n, nulls, r, (b, _) => b.Append(r.NextDouble()), b => b.AppendNull()),
        (r, n, nulls) => Build(new BooleanArray.Builder(), n, nulls, r, (b, _) => b.Append(r.Next(2) == 0), b => b.AppendNull()),
        (r, n, nulls) => Build(new Date32Array.Builder(), n, nulls, r, (b, _) => b.Append(new DateTime(2020, 1, 1).AddDays(r.Next(2000))), b => b.AppendNull()),
        (r, n, nulls) => Build(new StringArray.Builder(), n, nulls, r, (b, i) => b.Append(i % 5 == 0 ? "" : $"value {r.Next(100_000)} é"), b => b.AppendNull()),
        (r, n, nulls) => Build(new BinaryArray.Builder(), n, nulls, r, (b, _) => b.Append((byte[])[(byte)r.Next(256), 1, 2]), b => b.AppendNull()),
    ];

    private static IArrowArray Build<TBuilder>(TBuilder builder, int n, bool nulls, Random random, Action<TBuilder, int> value, Action<TBuilder> nullValue)
        where TBuilder : IArrowArrayBuilder<IArrowArray, TBuilder>
    {
        for (var i = 0; i < n; i++)
        {
            if (nulls && random.Next(7) == 0) nullValue(builder);
            else value(builder, i);
        }
        return builder.Build(default);
    }

    private static object? Value(IArrowArray array, int i) => array switch
    {
        _ when array.IsNull(i) => null,
        Int64Array a => a.GetValue(i),
        Int32Array a => a.GetValue(i),
        DoubleArray a => a.GetValue(i),
        BooleanArray a => a.GetValue(i),
        Date32Array a => a.GetValue(i),
        StringArray a => a.GetString(i),
        BinaryArray a => Convert.ToHexString(a.GetBytes(i)),
        _ => throw new NotSupportedException(array.Data.DataType.Name),
    };
}
