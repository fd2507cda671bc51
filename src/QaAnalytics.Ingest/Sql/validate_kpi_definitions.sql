-- kpi_definitions.csv: a council's own KPIs, or new names/targets for built-in ones.
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           upper(blank(kpi_code)) AS kpi_code, blank(kpi_name) AS kpi_name,
           lower(blank(unit)) AS unit, replace(lower(blank(polarity)), ' ', '_') AS polarity,
           blank(statutory_timescale) AS statutory_timescale, blank(theme) AS theme_raw,
           CASE lower(blank(theme)) WHEN 'chronology' THEN 'Chronology' WHEN 'assessment' THEN 'Assessment'
               WHEN 'plan' THEN 'Plan' WHEN 'visiting' THEN 'Visiting' WHEN 'supervision' THEN 'Supervision' END AS theme,
           blank(target) AS target_raw, TRY_CAST(blank(target) AS DOUBLE) AS target,
           blank(description) AS description,
           row_number() OVER (PARTITION BY upper(blank(kpi_code)) ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY upper(blank(kpi_code))) AS first_line
    FROM src
)
SELECT s.*, kpi_code AS key,
    list_filter([
        need('kpi_code', kpi_code, 'give the code that kpis.csv uses'),
        CASE WHEN kpi_code IS NOT NULL AND dup_rank > 1 THEN err('kpi_code', kpi_code,
            'kpi_code ' || kpi_code || ' already appears on line ' || first_line || '; only the first is loaded') END,
        need('kpi_name', kpi_name, 'give the KPI''s name'),
        CASE WHEN unit IS NULL OR unit NOT IN ('rate', 'count', 'percent') THEN err('unit', unit,
            'unit must be rate (numerator over denominator), count or percent') END,
        CASE WHEN polarity IS NULL OR polarity NOT IN ('higher_is_better', 'lower_is_better') THEN err('polarity', polarity,
            'polarity must be higher_is_better or lower_is_better') END,
        CASE WHEN theme_raw IS NOT NULL AND theme IS NULL THEN err('theme', theme_raw,
            'theme must be blank or one of Chronology, Assessment, Plan, Visiting, Supervision') END,
        CASE WHEN target_raw IS NOT NULL AND target IS NULL THEN err('target', target_raw, 'target must be a number') END
    ], e -> e IS NOT NULL) AS errors
FROM s;
