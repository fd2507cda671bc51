-- Semantic source "audit_theme": one row per Focus 5 theme grade given in an audit, with the
-- audit's team, type and dates, and the rate KPI paired with the theme (dim_kpi.theme) and its
-- target. grade 1 = Outstanding … 4 = Inadequate; score = 5 - grade. A theme grade's record key
-- (cell key method) is its audit's, moved by the theme, so the five grades of one audit differ.
WITH paired AS (
    SELECT theme, min(kpi_code) AS kpi_code FROM dim_kpi WHERE unit = 'rate' AND theme IS NOT NULL GROUP BY theme
)
SELECT a.la_code, a.service_area, a.team_id, a.team_name, a.audit_type, a.month_start,
       a.month_label, a.financial_quarter_label, a.financial_year,
       th.theme, th.grade, 5 - th.grade AS score, p.kpi_code, k.target,
       (a.record_key + hash(th.theme) % 4294967296) % 4294967296 AS record_key
FROM v_audit a,
LATERAL (VALUES ('Chronology', a.chronology_grade), ('Assessment', a.assessment_grade), ('Plan', a.plan_grade),
                ('Visiting', a.visiting_grade), ('Supervision', a.supervision_grade)) AS th(theme, grade)
LEFT JOIN paired p ON p.theme = th.theme
LEFT JOIN dim_kpi k ON k.kpi_code = p.kpi_code
WHERE th.grade IS NOT NULL
