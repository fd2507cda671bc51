using QaAnalytics.Contracts.V1;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Errors;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Semantic;

namespace QaAnalytics.Service.Queries;

public sealed partial class AnalyticsQueries
{
    /// <summary>
    /// The generic query: any measures of the semantic model by the dimensions asked for. A share
    /// or mean brings the counts it is worked out from, so every figure sits beside its denominator.
    /// </summary>
    public Task<TableResult> QueryAsync(QueryRequest request, Caller caller, CancellationToken ct)
    {
        RequestLimits.CheckList("measures", request.Measures);
        RequestLimits.CheckList("dimensions", request.Dimensions);
        RequestLimits.CheckList("filters", request.Filters.Select(f => f.Dimension).ToList());
        foreach (var filter in request.Filters) RequestLimits.CheckList($"filters.{filter.Dimension.Trim()}.values", filter.Values);
        var measures = request.Measures.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).Distinct().ToList();
        if (measures.Count == 0) throw new BadArgumentException("measures", "name at least one measure (the catalogue's measures table lists them)");
        foreach (var measure in measures.Where(m => !QaModel.TryFind(m, out _, out _)))
        {
            throw new NotFoundException($"measures: {measure} is not a measure of the semantic model (the catalogue's measures table lists them)");
        }
        var columns = new List<MeasureColumn>();
        foreach (var measure in measures)
        {
            Add(measure);
            if (QaModel.Derived.TryGetValue(measure, out var derived))
            {
                foreach (var input in derived.Inputs.Where(i => QaModel.Counts[i].Published)) Add(input);
            }
        }

        var dimensions = request.Dimensions.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim().ToLowerInvariant()).Distinct().ToList();
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var filter in request.Filters)
        {
            var dimension = filter.Dimension.Trim().ToLowerInvariant();
            var values = filter.Values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToList();
            if (values.Count == 0) throw new BadArgumentException("filters", $"the filter on '{dimension}' has no values");
            if (!filters.TryAdd(dimension, values)) throw new BadArgumentException("filters", $"'{dimension}' is filtered twice");
        }
        var kpiMeasures = columns.Where(c => QaModel.SourcesOf(c.Measure).Contains("kpi")).Select(c => c.Measure).ToList();
        if (kpiMeasures.Count > 0 && !dimensions.Contains("kpi_code") && !dimensions.Contains("theme")
            && !(filters.TryGetValue("kpi_code", out var codes) && codes.Count == 1))
        {
            throw new BadArgumentException("dimensions", $"{kpiMeasures[0]} needs the kpi_code (or theme) dimension, or a filter to one kpi_code: rates of different KPIs do not add up");
        }
        // kpi_value is a rate or a mean by each KPI's unit, an attribute only the kpi_code dimension
        // brings (found by the fuzz: with theme, or a kpi_code filter alone, it failed Internal).
        if (columns.Any(c => c.Measure == "kpi_value") && !dimensions.Contains("kpi_code"))
        {
            throw new BadArgumentException("dimensions", "kpi_value needs the kpi_code dimension: it is a rate or a mean depending on each KPI's unit (kpi_rate works by theme)");
        }

        var spec = Spec(columns, request.GroupBy, request.Grain, request.Scope, request.Period) with
        {
            Dimensions = dimensions, Filters = filters, Compare = request.ComparePreviousPeriod ? columns.Select(c => c.Column).ToList() : [],
        };
        return SemanticAsync("query", caller, spec, null, policy => policy.Notes(
            [
                "Each measure as the semantic model defines it (the catalogue's measures table); shares and means are worked out from unrounded counts, and each comes with the counts it is worked out from.",
            ]), ct);

        void Add(string measure)
        {
            if (columns.All(c => c.Measure != measure)) columns.Add(new MeasureColumn(measure, measure));
        }
    }
}
