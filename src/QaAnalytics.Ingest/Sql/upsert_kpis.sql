-- Rate KPIs keep numerator and denominator and derive value; single-figure KPIs keep value only.
INSERT OR REPLACE INTO fact_kpi
SELECT team_id, period_dt, kpi_code,
       CASE WHEN unit = 'rate' THEN num END,
       CASE WHEN unit = 'rate' THEN den END,
       CASE WHEN unit = 'rate' THEN CASE WHEN den > 0 THEN 100.0 * num / den END ELSE val END,
       $run_id, line_no
FROM chk WHERE len(errors) = 0;
