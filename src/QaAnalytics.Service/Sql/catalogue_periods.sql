-- Months with any audit, KPI or complaint, with their financial quarter and year.
SELECT d.month_start AS month, d.month_label, d.financial_quarter_label, d.financial_year
FROM dim_date d
WHERE d.date_key = d.month_start
  AND (EXISTS (SELECT 1 FROM fact_audit a WHERE a.audit_date >= d.month_start AND a.audit_date < d.month_start + INTERVAL 1 MONTH)
    OR EXISTS (SELECT 1 FROM fact_kpi k WHERE k.period = d.month_start)
    OR EXISTS (SELECT 1 FROM fact_complaint c WHERE c.received_date >= d.month_start AND c.received_date < d.month_start + INTERVAL 1 MONTH))
ORDER BY d.month_start;
