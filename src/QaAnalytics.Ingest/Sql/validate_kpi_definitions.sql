-- kpi_definitions.csv: a council's own KPIs, or new names/targets for built-in ones.
-- chk: typed rows, one reason column per check and ok; problems: the failed checks of each row that failed one.
CREATE OR REPLACE TEMP TABLE dup AS
SELECT key, min(line_no) AS first_line FROM (SELECT line_no, upper(blank(kpi_code)) AS key FROM src)
WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_kpi_code, r_duplicate, r_kpi_name, r_unit, r_polarity, r_theme, r_target) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN kpi_code IS NULL THEN 'kpi_code is blank; give the code that kpis.csv uses' END AS r_kpi_code,
        CASE WHEN line_no > first_line THEN 'kpi_code ' || kpi_code || ' already appears on line ' || first_line || '; only the first is loaded' END AS r_duplicate,
        CASE WHEN kpi_name IS NULL THEN 'kpi_name is blank; give the KPI''s name' END AS r_kpi_name,
        CASE WHEN unit IS NULL OR unit NOT IN ('rate', 'count', 'percent') THEN 'unit must be rate (numerator over denominator), count or percent' END AS r_unit,
        CASE WHEN polarity IS NULL OR polarity NOT IN ('higher_is_better', 'lower_is_better') THEN 'polarity must be higher_is_better or lower_is_better' END AS r_polarity,
        CASE WHEN theme_raw IS NOT NULL AND theme IS NULL THEN 'theme must be blank or one of Chronology, Assessment, Plan, Visiting, Supervision' END AS r_theme,
        CASE WHEN target_raw IS NOT NULL AND target IS NULL THEN 'target must be a number' END AS r_target
    FROM (
        SELECT line_no,
               upper(blank(kpi_code)) AS kpi_code, blank(kpi_name) AS kpi_name,
               lower(blank(unit)) AS unit, replace(lower(blank(polarity)), ' ', '_') AS polarity,
               blank(statutory_timescale) AS statutory_timescale, blank(theme) AS theme_raw,
               CASE lower(blank(theme)) WHEN 'chronology' THEN 'Chronology' WHEN 'assessment' THEN 'Assessment'
                   WHEN 'plan' THEN 'Plan' WHEN 'visiting' THEN 'Visiting' WHEN 'supervision' THEN 'Supervision' END AS theme,
               blank(target) AS target_raw, TRY_CAST(blank(target) AS DOUBLE) AS target,
               blank(description) AS description,
               upper(blank(kpi_code)) AS key, d.first_line
        FROM src LEFT JOIN dup d ON d.key = upper(blank(src.kpi_code))
    ) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'kpi_code', value: NULL::VARCHAR, reason: r_kpi_code},
    {column_name: 'kpi_code', value: kpi_code, reason: r_duplicate},
    {column_name: 'kpi_name', value: NULL::VARCHAR, reason: r_kpi_name},
    {column_name: 'unit', value: unit, reason: r_unit},
    {column_name: 'polarity', value: polarity, reason: r_polarity},
    {column_name: 'theme', value: theme_raw, reason: r_theme},
    {column_name: 'target', value: target_raw, reason: r_target}] AS checks
FROM chk WHERE NOT ok;
