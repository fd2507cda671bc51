-- kpis.csv: one row per team, month and KPI.
CREATE OR REPLACE TEMP TABLE chk AS
SELECT s.*, d.unit, d.kpi_code IS NOT NULL AS known_kpi, t.known_team IS NOT NULL AS known_team,
       s.team_id || '|' || CAST(s.period_dt AS VARCHAR) || '|' || s.kpi_code AS key
FROM (
    SELECT line_no,
           blank(team_id) AS team_id, blank(period) AS period_raw,
           CASE WHEN length(trim(period)) <= 7 THEN TRY_CAST(trim(period) || '-01' AS DATE)
                ELSE CAST(date_trunc('month', qa_date(period)) AS DATE) END AS period_dt,
           upper(blank(kpi_code)) AS kpi_code,
           blank(numerator) AS num_raw, blank(denominator) AS den_raw, blank(value) AS value_raw,
           TRY_CAST(blank(numerator) AS UBIGINT) AS num_u, TRY_CAST(blank(denominator) AS UBIGINT) AS den_u,
           TRY_CAST(replace(blank(value), '%', '') AS DOUBLE) AS val
    FROM src
) s
LEFT JOIN dim_kpi d ON d.kpi_code = s.kpi_code
LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;

-- Whole numbers only: "12" is a count, "12.0" or "-3" is not.
CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'team_id' AS column_name, CAST(NULL AS VARCHAR) AS value, 'team_id is blank; give the team the figures belong to' AS reason FROM chk WHERE team_id IS NULL
UNION ALL SELECT line_no, 'team_id', team_id, unknown_team('team_id ' || team_id) FROM chk WHERE team_id IS NOT NULL AND NOT known_team
UNION ALL SELECT line_no, 'period', NULL, 'period is blank; give the month as yyyy-mm' FROM chk WHERE period_raw IS NULL
UNION ALL SELECT line_no, 'period', period_raw, 'period must be a month written yyyy-mm between 2015-01 and 2030-12' FROM chk WHERE period_raw IS NOT NULL AND (period_dt IS NULL OR period_dt < DATE '2015-01-01' OR period_dt > DATE '2030-12-01')
UNION ALL SELECT line_no, 'period', period_raw, 'period is a month in the future' FROM chk WHERE period_dt > getvariable('today')
UNION ALL SELECT line_no, 'kpi_code', NULL, 'kpi_code is blank; give the KPI code' FROM chk WHERE kpi_code IS NULL
UNION ALL SELECT line_no, 'kpi_code', kpi_code, 'kpi_code ' || kpi_code || ' is not in the KPI catalogue; correct it or define it in kpi_definitions.csv' FROM chk WHERE kpi_code IS NOT NULL AND NOT known_kpi
UNION ALL SELECT line_no, 'numerator', NULL, kpi_code || ' is a rate: give the numerator (how many met the standard)' FROM chk WHERE unit = 'rate' AND num_raw IS NULL
UNION ALL SELECT line_no, 'denominator', NULL, kpi_code || ' is a rate: give the denominator (how many were due)' FROM chk WHERE unit = 'rate' AND den_raw IS NULL
UNION ALL SELECT line_no, 'numerator', num_raw, 'numerator must be a whole number of 0 or more' FROM chk WHERE unit = 'rate' AND num_raw IS NOT NULL AND (num_u IS NULL OR NOT regexp_full_match(num_raw, '[0-9]{1,15}'))
UNION ALL SELECT line_no, 'denominator', den_raw, 'denominator must be a whole number of 0 or more' FROM chk WHERE unit = 'rate' AND den_raw IS NOT NULL AND (den_u IS NULL OR NOT regexp_full_match(den_raw, '[0-9]{1,15}'))
UNION ALL SELECT line_no, 'numerator', num_raw, 'numerator (' || num_raw || ') is larger than denominator (' || den_raw || '); a rate cannot exceed 100%' FROM chk WHERE unit = 'rate' AND num_u > den_u
UNION ALL SELECT line_no, 'value', NULL, kpi_code || ' is a single figure: give it in value' FROM chk WHERE unit IN ('count', 'percent') AND value_raw IS NULL
UNION ALL SELECT line_no, 'value', value_raw, 'value must be a number' FROM chk WHERE unit IN ('count', 'percent') AND value_raw IS NOT NULL AND val IS NULL
UNION ALL SELECT line_no, 'value', value_raw, 'value cannot be negative' FROM chk WHERE unit IN ('count', 'percent') AND val < 0
UNION ALL SELECT line_no, 'value', value_raw, 'value is a percentage and cannot exceed 100' FROM chk WHERE unit = 'percent' AND val > 100
UNION ALL SELECT line_no, 'kpi_code', kpi_code, 'the same team, period and kpi_code already appear on line ' || d.first_line || '; only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line;
