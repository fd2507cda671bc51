-- kpis.csv: one row per team, month and KPI.
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           blank(team_id) AS team_id, blank(period) AS period_raw,
           CASE WHEN regexp_matches(trim(period), '^[0-9]{4}-[0-9]{1,2}$') THEN qa_date(trim(period) || '-01')
                ELSE CAST(date_trunc('month', qa_date(period)) AS DATE) END AS period_dt,
           upper(blank(kpi_code)) AS kpi_code,
           blank(numerator) AS num_raw, blank(denominator) AS den_raw, blank(value) AS value_raw,
           CASE WHEN regexp_matches(trim(numerator), '^[0-9]{1,15}$') THEN CAST(trim(numerator) AS BIGINT) END AS num,
           CASE WHEN regexp_matches(trim(denominator), '^[0-9]{1,15}$') THEN CAST(trim(denominator) AS BIGINT) END AS den,
           TRY_CAST(replace(blank(value), '%', '') AS DOUBLE) AS val
    FROM src
), k AS (
    SELECT s.*, d.unit, d.kpi_code IS NOT NULL AS known_kpi, t.team_id IS NOT NULL AS known_team,
           row_number() OVER (PARTITION BY s.team_id, s.period_dt, s.kpi_code ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY s.team_id, s.period_dt, s.kpi_code) AS first_line
    FROM s LEFT JOIN dim_kpi d ON d.kpi_code = s.kpi_code LEFT JOIN dim_team t ON t.team_id = s.team_id
)
SELECT k.*, team_id || '|' || CAST(period_dt AS VARCHAR) || '|' || kpi_code AS key,
    list_filter([
        need('team_id', team_id, 'give the team the figures belong to'),
        CASE WHEN team_id IS NOT NULL AND NOT known_team THEN err('team_id', team_id,
            'team_id ' || team_id || ' is not in teams.csv or an earlier load; add the team or correct the id') END,
        need('period', period_raw, 'give the month as yyyy-mm'),
        CASE WHEN period_raw IS NOT NULL AND (period_dt IS NULL OR period_dt < DATE '2015-01-01' OR period_dt > DATE '2030-12-01')
            THEN err('period', period_raw, 'period must be a month written yyyy-mm between 2015-01 and 2030-12') END,
        CASE WHEN period_dt > $today THEN err('period', period_raw, 'period is a month in the future') END,
        need('kpi_code', kpi_code, 'give the KPI code'),
        CASE WHEN kpi_code IS NOT NULL AND NOT known_kpi THEN err('kpi_code', kpi_code,
            'kpi_code ' || kpi_code || ' is not in the KPI catalogue; correct it or define it in kpi_definitions.csv') END,
        CASE WHEN unit = 'rate' AND num_raw IS NULL THEN err('numerator', NULL,
            kpi_code || ' is a rate: give the numerator (how many met the standard)') END,
        CASE WHEN unit = 'rate' AND den_raw IS NULL THEN err('denominator', NULL,
            kpi_code || ' is a rate: give the denominator (how many were due)') END,
        CASE WHEN unit = 'rate' AND num_raw IS NOT NULL AND num IS NULL THEN err('numerator', num_raw,
            'numerator must be a whole number of 0 or more') END,
        CASE WHEN unit = 'rate' AND den_raw IS NOT NULL AND den IS NULL THEN err('denominator', den_raw,
            'denominator must be a whole number of 0 or more') END,
        CASE WHEN unit = 'rate' AND num > den THEN err('numerator', num_raw,
            'numerator (' || num_raw || ') is larger than denominator (' || den_raw || '); a rate cannot exceed 100%') END,
        CASE WHEN unit IN ('count', 'percent') AND value_raw IS NULL THEN err('value', NULL,
            kpi_code || ' is a single figure: give it in value') END,
        CASE WHEN unit IN ('count', 'percent') AND value_raw IS NOT NULL AND val IS NULL THEN err('value', value_raw,
            'value must be a number') END,
        CASE WHEN unit IN ('count', 'percent') AND val < 0 THEN err('value', value_raw, 'value cannot be negative') END,
        CASE WHEN unit = 'percent' AND val > 100 THEN err('value', value_raw, 'value is a percentage and cannot exceed 100') END,
        CASE WHEN team_id IS NOT NULL AND period_dt IS NOT NULL AND kpi_code IS NOT NULL AND dup_rank > 1 THEN err('kpi_code', kpi_code,
            'the same team, period and kpi_code already appear on line ' || first_line || '; only the first is loaded') END
    ], e -> e IS NOT NULL) AS errors
FROM k;
