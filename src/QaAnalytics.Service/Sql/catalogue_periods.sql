-- Months with any audit, KPI or complaint, with their financial quarter and year.
WITH months AS (
    SELECT DISTINCT date_trunc('month', audit_date)::DATE AS month FROM fact_audit
    UNION SELECT DISTINCT period FROM fact_kpi
    UNION SELECT DISTINCT date_trunc('month', received_date)::DATE FROM fact_complaint
)
SELECT d.month_start AS month, d.month_label, d.financial_quarter_label, d.financial_year
FROM dim_date d
WHERE d.date_key = d.month_start AND d.month_start IN (SELECT month FROM months)
ORDER BY d.month_start;
