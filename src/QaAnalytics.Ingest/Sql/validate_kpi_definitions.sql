-- kpi_definitions.csv: a council's own KPIs, or new names/targets for built-in ones.
CREATE OR REPLACE TEMP TABLE chk AS
SELECT line_no,
       upper(blank(kpi_code)) AS kpi_code, blank(kpi_name) AS kpi_name,
       lower(blank(unit)) AS unit, replace(lower(blank(polarity)), ' ', '_') AS polarity,
       blank(statutory_timescale) AS statutory_timescale, blank(theme) AS theme_raw,
       CASE lower(blank(theme)) WHEN 'chronology' THEN 'Chronology' WHEN 'assessment' THEN 'Assessment'
           WHEN 'plan' THEN 'Plan' WHEN 'visiting' THEN 'Visiting' WHEN 'supervision' THEN 'Supervision' END AS theme,
       blank(target) AS target_raw, TRY_CAST(blank(target) AS DOUBLE) AS target,
       blank(description) AS description,
       upper(blank(kpi_code)) AS key
FROM src;

CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'kpi_code' AS column_name, CAST(NULL AS VARCHAR) AS value, 'kpi_code is blank; give the code that kpis.csv uses' AS reason FROM chk WHERE kpi_code IS NULL
UNION ALL SELECT line_no, 'kpi_code', kpi_code, 'kpi_code ' || kpi_code || ' already appears on line ' || d.first_line || '; only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line
UNION ALL SELECT line_no, 'kpi_name', NULL, 'kpi_name is blank; give the KPI''s name' FROM chk WHERE kpi_name IS NULL
UNION ALL SELECT line_no, 'unit', unit, 'unit must be rate (numerator over denominator), count or percent' FROM chk WHERE unit IS NULL OR unit NOT IN ('rate', 'count', 'percent')
UNION ALL SELECT line_no, 'polarity', polarity, 'polarity must be higher_is_better or lower_is_better' FROM chk WHERE polarity IS NULL OR polarity NOT IN ('higher_is_better', 'lower_is_better')
UNION ALL SELECT line_no, 'theme', theme_raw, 'theme must be blank or one of Chronology, Assessment, Plan, Visiting, Supervision' FROM chk WHERE theme_raw IS NOT NULL AND theme IS NULL
UNION ALL SELECT line_no, 'target', target_raw, 'target must be a number' FROM chk WHERE target_raw IS NOT NULL AND target IS NULL;
