-- Triangulation: each Focus 5 theme's audit result beside its paired compliance KPI and the
-- complaints, per organisation unit and period. {org}, {period} and {scope} are filled by the
-- service from fixed lists and parameter placeholders.
WITH theme_grades AS (
    SELECT {org}, {period} AS period, th.theme,
           count(*) AS audits,
           count(*) FILTER (WHERE th.grade <= 2) AS good_or_better,
           avg(5 - th.grade) AS mean_grade_score
    FROM fact_audit a
    JOIN dim_team USING (team_id)
    JOIN dim_date d ON d.date_key = a.audit_date,
    LATERAL (VALUES ('Chronology', a.chronology_grade), ('Assessment', a.assessment_grade), ('Plan', a.plan_grade),
                    ('Visiting', a.visiting_grade), ('Supervision', a.supervision_grade)) AS th(theme, grade)
    WHERE th.grade IS NOT NULL AND d.month_start >= $from AND d.month_start <= $to {scope}
    GROUP BY ALL
), compliance AS (
    SELECT {org}, {period} AS period, k.theme, f.kpi_code,
           CAST(sum(f.numerator) AS BIGINT) AS kpi_numerator, CAST(sum(f.denominator) AS BIGINT) AS kpi_denominator
    FROM fact_kpi f
    JOIN dim_kpi k USING (kpi_code)
    JOIN dim_team USING (team_id)
    JOIN dim_date d ON d.date_key = f.period
    WHERE k.unit = 'rate' AND k.theme IS NOT NULL AND f.period >= $from AND f.period <= $to {scope}
    GROUP BY ALL
), complaints AS (
    SELECT {org}, {period} AS period,
           count(*) AS complaints,
           count(*) FILTER (WHERE c.stage = '1' AND c.responded_date IS NOT NULL) AS stage1_responded,
           count(*) FILTER (WHERE c.stage = '1' AND c.responded_on_time) AS stage1_on_time
    FROM fact_complaint c
    JOIN dim_team USING (team_id)
    JOIN dim_date d ON d.date_key = c.received_date
    WHERE c.record_type = 'complaint' AND d.month_start >= $from AND d.month_start <= $to {scope}
    GROUP BY ALL
)
SELECT {org}, period, theme, kpi_code,
       coalesce(audits, 0) AS audits, coalesce(good_or_better, 0) AS good_or_better, mean_grade_score,
       coalesce(kpi_numerator, 0) AS kpi_numerator, coalesce(kpi_denominator, 0) AS kpi_denominator,
       coalesce(complaints, 0) AS complaints, coalesce(stage1_responded, 0) AS stage1_responded,
       coalesce(stage1_on_time, 0) AS stage1_on_time
FROM theme_grades
FULL JOIN compliance USING ({org_using}, period, theme)
LEFT JOIN complaints USING ({org_using}, period)
ORDER BY ALL;
