using Apache.Arrow.Types;
using Microsoft.Extensions.Primitives;
using Microsoft.OData.Edm;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Http;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Service.OData;

/// <summary>A column of an entity set: the RPC's column (or one the feed adds), and its EDM type.</summary>
public sealed record ODataColumn(string Name, EdmPrimitiveTypeKind Kind, bool Added = false);

/// <summary>An entity set of the built model: its definition, its EDM set, and its columns in order (the key, <c>row_id</c>, first).</summary>
public sealed record ODataSetSchema(ODataEntitySet Set, IEdmEntitySet EdmSet, IReadOnlyList<ODataColumn> Columns)
{
    public IEdmEntityType Type => EdmSet.EntityType;
}

/// <summary>The EDM model of the feeds on one snapshot and the schema of each set.</summary>
public sealed record ODataBuiltModel(string SnapshotId, IEdmModel Model, IReadOnlyDictionary<string, ODataSetSchema> Sets);

/// <summary>
/// Builds the EDM model from the columns the RPCs actually return (one cheap probe per result and
/// organisation level, on a single month, as an internal caller that reads no figure out), so the
/// <c>$metadata</c> cannot drift from the RPCs. Types: text Edm.String, counts Edm.Int64, shares and
/// rates Edm.Double, dates Edm.Date; every RPC column nullable (a withheld cell is null, beside its
/// flag); the key is <c>row_id</c>, the row's place in the RPC's answer; a set with periods also
/// gets <c>period_start</c> and <c>period_end</c> (Edm.Date). Rebuilt when a new snapshot is served;
/// the risk sets exist only when the snapshot has a scored model.
/// </summary>
public sealed class ODataModel(AnalyticsQueries queries, SnapshotSource snapshots)
{
    public const string Namespace = "QaAnalytics";
    public const string KeyColumn = "row_id";
    public const string PeriodStart = "period_start";
    public const string PeriodEnd = "period_end";

    private static readonly Caller Probe = new("odata-metadata", Role.Director, null, null, null);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private ODataBuiltModel? _built;

    public async Task<ODataBuiltModel> GetAsync(CancellationToken ct)
    {
        var snapshot = snapshots.Current();
        if (_built is { } built && built.SnapshotId == snapshot.Id) return built;
        await _lock.WaitAsync(ct);
        try
        {
            if (_built is { } again && again.SnapshotId == snapshot.Id) return again;
            _built = await BuildAsync(snapshot.Id, ct);
            return _built;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<ODataBuiltModel> BuildAsync(string snapshotId, CancellationToken ct)
    {
        var model = new EdmModel();
        var container = new EdmEntityContainer(Namespace, "Container");
        model.AddElement(container);
        var types = new Dictionary<string, (EdmEntityType Type, List<ODataColumn> Columns)>(StringComparer.Ordinal);
        var sets = new Dictionary<string, ODataSetSchema>(StringComparer.Ordinal);
        foreach (var set in ODataEntitySet.All.Values)
        {
            if (!types.TryGetValue(set.TypeName, out var type))
            {
                var arrow = await ProbeAsync(set, ct);
                if (arrow is null) continue;
                type = Define(model, set, arrow);
                types[set.TypeName] = type;
            }
            sets[set.Name] = new ODataSetSchema(set, container.AddEntitySet(set.Name, type.Type), type.Columns);
        }
        return new ODataBuiltModel(snapshotId, model, sets);
    }

    /// <summary>The Arrow schema of a set's table, or null when the snapshot has none (no scored risk model).</summary>
    private async Task<Apache.Arrow.Schema?> ProbeAsync(ODataEntitySet set, CancellationToken ct)
    {
        var request = set.Result.NewRequest();
        var parameters = set.Parameters.ToDictionary(p => p.Key, p => new StringValues(p.Value));
        if (set.Grain is not null && request.Descriptor.FindFieldByName("period") is not null)
        {
            parameters["from"] = "2015-01";
            parameters["to"] = "2015-01";
        }
        ApiRequestBinder.Bind(request, parameters);
        try
        {
            var tables = await set.Result.Query(queries, request, Probe, ct);
            return tables.FirstOrDefault(t => t.Table == set.Result.Table) is { } table ? ResultWriter.SchemaOf(table.Result) : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static (EdmEntityType, List<ODataColumn>) Define(EdmModel model, ODataEntitySet set, Apache.Arrow.Schema arrow)
    {
        var type = new EdmEntityType(Namespace, set.TypeName);
        var columns = new List<ODataColumn> { new(KeyColumn, EdmPrimitiveTypeKind.Int64, Added: true) };
        type.AddKeys(type.AddStructuralProperty(KeyColumn, EdmPrimitiveTypeKind.Int64, isNullable: false));
        foreach (var field in arrow.FieldsList)
        {
            var kind = Kind(field.DataType);
            type.AddStructuralProperty(field.Name, kind, isNullable: true);
            columns.Add(new ODataColumn(field.Name, kind));
        }
        if (set.Grain is not null && arrow.GetFieldIndex("period") >= 0)
        {
            foreach (var name in new[] { PeriodStart, PeriodEnd })
            {
                type.AddStructuralProperty(name, EdmPrimitiveTypeKind.Date, isNullable: true);
                columns.Add(new ODataColumn(name, EdmPrimitiveTypeKind.Date, Added: true));
            }
        }
        model.AddElement(type);
        return (type, columns);
    }

    private static EdmPrimitiveTypeKind Kind(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int64 or ArrowTypeId.Int32 or ArrowTypeId.Int16 or ArrowTypeId.Int8 or ArrowTypeId.UInt8 => EdmPrimitiveTypeKind.Int64,
        ArrowTypeId.Double or ArrowTypeId.Float => EdmPrimitiveTypeKind.Double,
        ArrowTypeId.Boolean => EdmPrimitiveTypeKind.Boolean,
        ArrowTypeId.Date32 => EdmPrimitiveTypeKind.Date,
        ArrowTypeId.Timestamp => EdmPrimitiveTypeKind.DateTimeOffset,
        _ => EdmPrimitiveTypeKind.String,
    };
}
