using System.Runtime.CompilerServices;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Http;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.OData;

/// <summary>
/// A computed table's rows laid out as an entity set's columns: <c>row_id</c> (the row's place in
/// the RPC's answer, from 1), the RPC's cells as they are, then <c>period_start</c>/<c>period_end</c>
/// from the period label. Decoded once per computed result (which the result cache shares), so
/// following <c>@odata.nextLink</c> through a large set does not decode it again for every page.
/// </summary>
public static class ODataRows
{
    private static readonly ConditionalWeakTable<ArrowResult, IReadOnlyList<object?[]>> Decoded = [];

    public static async Task<IReadOnlyList<object?[]>> ReadAsync(ArrowResult result, IReadOnlyList<ODataColumn> columns, CancellationToken ct)
    {
        if (Decoded.TryGetValue(result, out var rows)) return rows;
        var list = new List<object?[]>((int)Math.Min(result.RowCount, int.MaxValue));
        var periodAt = -1;
        await foreach (var batch in ResultWriter.Batches(result, ct))
        {
            using (batch)
            {
                var sources = columns.Select(c => c.Added ? -1 : batch.Schema.GetFieldIndex(c.Name)).ToArray();
                periodAt = batch.Schema.GetFieldIndex("period");
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[columns.Count];
                    (DateOnly Start, DateOnly End)? span = null;
                    for (var c = 0; c < row.Length; c++)
                    {
                        if (sources[c] >= 0)
                        {
                            row[c] = ArrowRows.Value(batch.Column(sources[c]), r) switch { int i => (long)i, short s => (long)s, byte b => (long)b, sbyte b => (long)b, var v => v };
                            continue;
                        }
                        switch (columns[c].Name)
                        {
                            case ODataModel.KeyColumn: row[c] = (long)list.Count + 1; break;
                            case ODataModel.PeriodStart: row[c] = (span ??= Span(batch, periodAt, r))?.Start; break;
                            case ODataModel.PeriodEnd: row[c] = (span ??= Span(batch, periodAt, r))?.End; break;
                        }
                    }
                    list.Add(row);
                }
            }
        }
        Decoded.AddOrUpdate(result, list);
        return list;
    }

    private static (DateOnly Start, DateOnly End)? Span(Apache.Arrow.RecordBatch batch, int periodAt, int row) =>
        periodAt >= 0 && ArrowRows.Value(batch.Column(periodAt), row) is string label ? PeriodLabels.Span(label) : null;
}
