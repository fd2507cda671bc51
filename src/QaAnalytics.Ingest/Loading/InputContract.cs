namespace QaAnalytics.Ingest.Loading;

/// <summary>A column of an input file: its contract name, whether it must be present, and other headers accepted for it.</summary>
internal sealed record ColumnSpec(string Name, bool Required, params string[] Aliases);

/// <summary>
/// One kind of input file (teams, audits, ...): which file names it comes from, its columns, the
/// SQL that validates it and the SQL that merges accepted rows, and the table it fills with the
/// key of a row of that table (over alias <c>f</c>) in the same text form as <c>chk.key</c>.
/// <paramref name="KeyedTable"/>: the table has a primary key on that key (a small dimension), so
/// rows being replaced must be deleted before the new ones go in.
/// </summary>
internal sealed record InputKind(string Name, string[] FileStems, ColumnSpec[] Columns, string Table, string FactKey, bool KeyedTable = false)
{
    public string ValidateSql => $"validate_{Name}.sql";

    public string UpsertSql => $"upsert_{Name}.sql";
}

/// <summary>The data contract, in load order: definitions and teams before the facts that refer to them.</summary>
internal static class InputContract
{
    public static readonly InputKind KpiDefinitions = new("kpi_definitions", ["kpi_definitions"],
    [
        new("kpi_code", true), new("kpi_name", true), new("unit", true), new("polarity", true),
        new("statutory_timescale", false), new("theme", false), new("target", false), new("description", false),
    ], "dim_kpi", "f.kpi_code", KeyedTable: true);

    public static readonly InputKind Teams = new("teams", ["teams", "ssd_department"],
    [
        new("la_code", true),
        new("team_id", true, "dept_team_id"),
        new("team_name", true, "dept_team_name"),
        new("service_area", true, "dept_team_parent_name"),
        new("parent_team_id", false, "dept_team_parent_id"),
    ], "dim_team", "f.team_id", KeyedTable: true);

    public static readonly InputKind Audits = new("audits", ["audits"],
    [
        new("audit_id", true), new("child_id", true), new("team_id", true), new("worker_id", true),
        new("auditor_id", true), new("audit_type", true), new("audit_date", true), new("overall_grade", true),
        new("moderated_grade", false), new("moderator_id", false), new("moderation_date", false),
        new("chronology_grade", false), new("assessment_grade", false), new("plan_grade", false),
        new("visiting_grade", false), new("supervision_grade", false),
        new("child_voice_evident", false), new("immediate_concern", false), new("reaudit_of", false),
    ], "fact_audit", "f.audit_id");

    public static readonly InputKind AuditRequests = new("audit_requests", ["audit_requests"],
    [
        new("request_id", true), new("team_id", true), new("manager_id", true), new("sent_date", true),
        new("due_date", false), new("returned_date", false), new("audit_id", false),
    ], "fact_audit_request", "f.request_id");

    public static readonly InputKind Kpis = new("kpis", ["kpis"],
    [
        new("team_id", true), new("period", true), new("kpi_code", true),
        new("numerator", false), new("denominator", false), new("value", false),
    ], "fact_kpi", "f.team_id || '|' || CAST(f.period AS VARCHAR) || '|' || f.kpi_code");

    public static readonly InputKind Complaints = new("complaints", ["complaints"],
    [
        new("record_id", true), new("record_type", true), new("team_id", false), new("received_date", true),
        new("stage", false), new("responded_date", false), new("outcome", false), new("theme", false),
        new("la_code", false),
    ], "fact_complaint", "f.record_id");

    public static IReadOnlyList<InputKind> LoadOrder { get; } = [KpiDefinitions, Teams, Audits, AuditRequests, Kpis, Complaints];

    /// <summary>File extensions read, in preference order when both exist.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".csv", ".xlsx"];

    /// <summary>Header text as compared with the contract: case, surrounding space and inner spaces ignored.</summary>
    public static string NormaliseHeader(string header) =>
        string.Join('_', header.Trim().Trim('\uFEFF').ToLowerInvariant().Split([' ', '-', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
