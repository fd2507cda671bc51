-- Rate KPIs keep numerator and denominator and derive value; single-figure KPIs keep value only.
INSERT INTO fact_kpi
SELECT team_id, period_dt, kpi_code,
       CASE WHEN unit = 'rate' THEN CAST(num_u AS BIGINT) END,
       CASE WHEN unit = 'rate' THEN CAST(den_u AS BIGINT) END,
       CASE WHEN unit = 'rate' THEN CASE WHEN den_u > 0 THEN 100.0 * num_u / den_u END ELSE val END,
       $run_id, line_no,
       record_key('kpis|' || key)
FROM good;
