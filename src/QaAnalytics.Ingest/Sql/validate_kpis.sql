-- kpis.csv: one row per team, month and KPI.
-- chk: typed rows, one reason column per check and ok; problems: the failed checks of each row that failed one.
-- A table, not a view: the duplicate check and chk both read the typed values, and parsing them
-- twice (trims, the period's date) cost more than keeping them once (national sample: 6.02 → 5.53 s).
CREATE OR REPLACE TEMP TABLE kpi_typed AS
SELECT line_no,
       blank(team_id) AS team_id, blank(period) AS period_raw,
       CASE WHEN length(trim(period)) <= 7 THEN TRY_CAST(trim(period) || '-01' AS DATE)
            ELSE CAST(date_trunc('month', qa_date(period)) AS DATE) END AS period_dt,
       upper(blank(kpi_code)) AS kpi_code,
       blank(numerator) AS num_raw, blank(denominator) AS den_raw, blank(value) AS value_raw
FROM src;

-- Grouped on the three parts, not on the key text, which only accepted rows need; first on their
-- 64-bit hash, which costs less, so that only the rare parts whose hash repeats are grouped exactly.
CREATE OR REPLACE TEMP TABLE dup AS
SELECT team_id, period_dt, kpi_code, min(line_no) AS first_line FROM kpi_typed
WHERE team_id IS NOT NULL AND period_dt IS NOT NULL AND kpi_code IS NOT NULL
  AND hash(team_id, period_dt, kpi_code) IN (
      SELECT hash(team_id, period_dt, kpi_code) AS h FROM kpi_typed
      WHERE team_id IS NOT NULL AND period_dt IS NOT NULL AND kpi_code IS NOT NULL
      GROUP BY h HAVING count(*) > 1)
GROUP BY team_id, period_dt, kpi_code HAVING count(*) > 1;

-- Whole numbers only: "12" is a count, "12.0" or "-3" is not (digits only, at most 15: the
-- text is trimmed and not blank, so this is the regular expression [0-9]{1,15} without its cost).
CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_team_blank, r_team_unknown, r_period_blank, r_period, r_period_future, r_kpi_blank, r_kpi_unknown,
                   r_num_blank, r_den_blank, r_num, r_den, r_num_over_den, r_value_blank, r_value, r_value_negative,
                   r_value_over_100, r_duplicate) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN team_id IS NULL THEN 'team_id is blank; give the team the figures belong to' END AS r_team_blank,
        CASE WHEN team_id IS NOT NULL AND NOT known_team THEN unknown_team('team_id ' || team_id) END AS r_team_unknown,
        CASE WHEN period_raw IS NULL THEN 'period is blank; give the month as yyyy-mm' END AS r_period_blank,
        CASE WHEN period_raw IS NOT NULL AND (period_dt IS NULL OR period_dt < DATE '2015-01-01' OR period_dt > DATE '2030-12-01') THEN 'period must be a month written yyyy-mm between 2015-01 and 2030-12' END AS r_period,
        CASE WHEN period_dt > getvariable('today') THEN 'period is a month in the future' END AS r_period_future,
        CASE WHEN kpi_code IS NULL THEN 'kpi_code is blank; give the KPI code' END AS r_kpi_blank,
        CASE WHEN kpi_code IS NOT NULL AND NOT known_kpi THEN 'kpi_code ' || kpi_code || ' is not in the KPI catalogue; correct it or define it in kpi_definitions.csv' END AS r_kpi_unknown,
        CASE WHEN unit = 'rate' AND num_raw IS NULL THEN kpi_code || ' is a rate: give the numerator (how many met the standard)' END AS r_num_blank,
        CASE WHEN unit = 'rate' AND den_raw IS NULL THEN kpi_code || ' is a rate: give the denominator (how many were due)' END AS r_den_blank,
        CASE WHEN unit = 'rate' AND num_raw IS NOT NULL AND (num_u IS NULL OR length(num_raw) > 15 OR ltrim(num_raw, '0123456789') <> '') THEN 'numerator must be a whole number of 0 or more' END AS r_num,
        CASE WHEN unit = 'rate' AND den_raw IS NOT NULL AND (den_u IS NULL OR length(den_raw) > 15 OR ltrim(den_raw, '0123456789') <> '') THEN 'denominator must be a whole number of 0 or more' END AS r_den,
        CASE WHEN unit = 'rate' AND num_u > den_u THEN 'numerator (' || num_raw || ') is larger than denominator (' || den_raw || '); a rate cannot exceed 100%' END AS r_num_over_den,
        CASE WHEN unit IN ('count', 'percent') AND value_raw IS NULL THEN kpi_code || ' is a single figure: give it in value' END AS r_value_blank,
        CASE WHEN unit IN ('count', 'percent') AND value_raw IS NOT NULL AND val IS NULL THEN 'value must be a number' END AS r_value,
        CASE WHEN unit IN ('count', 'percent') AND val < 0 THEN 'value cannot be negative' END AS r_value_negative,
        CASE WHEN unit = 'percent' AND val > 100 THEN 'value is a percentage and cannot exceed 100' END AS r_value_over_100,
        CASE WHEN line_no > first_line THEN 'the same team, period and kpi_code already appear on line ' || first_line || '; only the first is loaded' END AS r_duplicate
    FROM (
        SELECT s.*, d.unit, d.kpi_code IS NOT NULL AS known_kpi, t.known_team IS NOT NULL AS known_team, dup.first_line,
               TRY_CAST(s.num_raw AS UBIGINT) AS num_u, TRY_CAST(s.den_raw AS UBIGINT) AS den_u,
               TRY_CAST(replace(s.value_raw, '%', '') AS DOUBLE) AS val
        FROM (SELECT *, team_id || '|' || CAST(period_dt AS VARCHAR) || '|' || kpi_code AS key FROM kpi_typed) s
        LEFT JOIN dim_kpi d ON d.kpi_code = s.kpi_code
        LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id
        LEFT JOIN dup ON dup.team_id = s.team_id AND dup.period_dt = s.period_dt AND dup.kpi_code = s.kpi_code
    ) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'team_id', value: NULL::VARCHAR, reason: r_team_blank},
    {column_name: 'team_id', value: team_id, reason: r_team_unknown},
    {column_name: 'period', value: NULL::VARCHAR, reason: r_period_blank},
    {column_name: 'period', value: period_raw, reason: r_period},
    {column_name: 'period', value: period_raw, reason: r_period_future},
    {column_name: 'kpi_code', value: NULL::VARCHAR, reason: r_kpi_blank},
    {column_name: 'kpi_code', value: kpi_code, reason: r_kpi_unknown},
    {column_name: 'numerator', value: NULL::VARCHAR, reason: r_num_blank},
    {column_name: 'denominator', value: NULL::VARCHAR, reason: r_den_blank},
    {column_name: 'numerator', value: num_raw, reason: r_num},
    {column_name: 'denominator', value: den_raw, reason: r_den},
    {column_name: 'numerator', value: num_raw, reason: r_num_over_den},
    {column_name: 'value', value: NULL::VARCHAR, reason: r_value_blank},
    {column_name: 'value', value: value_raw, reason: r_value},
    {column_name: 'value', value: value_raw, reason: r_value_negative},
    {column_name: 'value', value: value_raw, reason: r_value_over_100},
    {column_name: 'kpi_code', value: kpi_code, reason: r_duplicate}] AS checks
FROM chk WHERE NOT ok;
