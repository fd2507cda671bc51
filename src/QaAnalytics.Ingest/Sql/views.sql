-- Views for analysts (and the service). Shares are computed from unrounded counts and every
-- share sits beside its denominator.

CREATE OR REPLACE VIEW v_audit AS
SELECT a.*, t.la_code, t.team_name, t.service_area,
       d.month_start, d.month_label, d.financial_year, d.financial_quarter_label, d.financial_quarter_start,
       g.grade_name AS effective_grade_name, og.grade_name AS overall_grade_name
FROM fact_audit a
JOIN dim_team t USING (team_id)
JOIN dim_date d ON d.date_key = a.audit_date
JOIN dim_grade g ON g.grade_code = a.effective_grade
JOIN dim_grade og ON og.grade_code = a.overall_grade;

-- Grade mix by council, service area and financial quarter (effective grade).
CREATE OR REPLACE VIEW v_grade_mix_by_quarter AS
SELECT la_code, service_area, financial_quarter_label, financial_quarter_start,
       count(*) AS audits,
       count(*) FILTER (WHERE effective_grade = 1) AS outstanding,
       count(*) FILTER (WHERE effective_grade = 2) AS good,
       count(*) FILTER (WHERE effective_grade = 3) AS requires_improvement,
       count(*) FILTER (WHERE effective_grade = 4) AS inadequate,
       count(*) FILTER (WHERE is_good_or_better) / count(*) AS share_good_or_better,
       avg(effective_score) AS mean_grade_score,
       count(*) FILTER (WHERE is_moderated) AS moderated,
       count(*) FILTER (WHERE grade_change < 0) AS downgraded,
       count(*) FILTER (WHERE grade_change > 0) AS upgraded
FROM v_audit
GROUP BY ALL;

CREATE OR REPLACE VIEW v_audit_request AS
SELECT r.*, t.la_code, t.team_name, t.service_area, d.month_label, d.financial_year, d.financial_quarter_label, d.financial_quarter_start
FROM fact_audit_request r
JOIN dim_team t USING (team_id)
JOIN dim_date d ON d.date_key = r.sent_date;

CREATE OR REPLACE VIEW v_audit_returns_by_quarter AS
SELECT la_code, service_area, financial_quarter_label, financial_quarter_start,
       count(*) AS sent,
       count(*) FILTER (WHERE is_returned) AS returned,
       count(*) FILTER (WHERE returned_by_due) AS returned_by_due,
       count(*) FILTER (WHERE is_returned) / count(*) AS return_rate
FROM v_audit_request
GROUP BY ALL;

CREATE OR REPLACE VIEW v_kpi AS
SELECT f.*, k.kpi_name, k.unit, k.polarity, k.theme, k.target, t.la_code, t.team_name, t.service_area,
       d.month_label, d.financial_year, d.financial_quarter_label, d.financial_quarter_start
FROM fact_kpi f
JOIN dim_kpi k USING (kpi_code)
JOIN dim_team t USING (team_id)
JOIN dim_date d ON d.date_key = f.period;

-- Rate KPIs by financial quarter: rates re-computed from summed numerators and denominators.
CREATE OR REPLACE VIEW v_kpi_rate_by_quarter AS
SELECT la_code, service_area, team_id, kpi_code, kpi_name, theme, target, financial_quarter_label, financial_quarter_start,
       sum(numerator) AS numerator, sum(denominator) AS denominator,
       100.0 * sum(numerator) / NULLIF(sum(denominator), 0) AS rate
FROM v_kpi WHERE unit = 'rate'
GROUP BY ALL;

CREATE OR REPLACE VIEW v_complaint AS
SELECT c.* EXCLUDE (la_code), coalesce(t.la_code, c.la_code) AS la_code, t.team_name, t.service_area,
       d.month_label, d.financial_year, d.financial_quarter_label, d.financial_quarter_start
FROM fact_complaint c
LEFT JOIN dim_team t USING (team_id)
JOIN dim_date d ON d.date_key = c.received_date;

-- Stage 1 and 2 timeliness: responses within the statutory working days over responses made.
CREATE OR REPLACE VIEW v_complaints_timeliness_by_quarter AS
SELECT financial_quarter_label, financial_quarter_start, stage,
       count(*) AS complaints,
       count(responded_date) AS responded,
       count(*) FILTER (WHERE responded_on_time) AS responded_on_time,
       count(*) FILTER (WHERE responded_on_time) / NULLIF(count(responded_date), 0) AS share_on_time
FROM v_complaint
WHERE record_type = 'complaint' AND stage IN ('1', '2')
GROUP BY ALL;

-- Focus 5 theme grades beside their paired KPI, per team and month: the triangulation base.
CREATE OR REPLACE VIEW v_theme_audit AS
SELECT a.audit_id, a.team_id, a.la_code, a.service_area, a.audit_date, a.month_start, a.financial_quarter_label,
       th.theme, th.grade_code, 5 - th.grade_code AS grade_score, th.grade_code <= 2 AS is_good_or_better
FROM v_audit a,
LATERAL (VALUES ('Chronology', a.chronology_grade), ('Assessment', a.assessment_grade), ('Plan', a.plan_grade),
                ('Visiting', a.visiting_grade), ('Supervision', a.supervision_grade)) AS th(theme, grade_code)
WHERE th.grade_code IS NOT NULL;

CREATE OR REPLACE VIEW v_ingest_run_summary AS
SELECT run_id, min(started_at) AS started_at, max(ended_at) AS ended_at,
       CASE WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'loaded' END AS status,
       count(*) AS files, sum(rows_read) AS rows_read, sum(rows_accepted) AS rows_accepted, sum(rows_rejected) AS rows_rejected
FROM ingest_runs GROUP BY run_id;

CREATE OR REPLACE VIEW v_rejects_by_reason AS
SELECT run_id, file_name, column_name,
       -- the reason with this row's own value and line numbers taken out, so like rejects group together
       regexp_replace(regexp_replace(CASE WHEN coalesce(value, '') <> '' THEN replace(reason, value, '…') ELSE reason END,
           'line [0-9]+', 'line …', 'g'), '\([0-9]+\)', '(…)', 'g') AS reason_kind,
       count(*) AS rejects, min(line_no) AS first_line,
       -- the value of the first such row, cut at 40 characters so a huge field cannot flood a report
       CASE WHEN length(arg_min(value, line_no)) > 40 THEN left(arg_min(value, line_no), 39) || '…' ELSE arg_min(value, line_no) END AS first_value
FROM ingest_rejects GROUP BY ALL;
