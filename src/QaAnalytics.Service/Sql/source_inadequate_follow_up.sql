-- Semantic source "inadequate_follow_up": one row per Inadequate audit (effective grade 4) that is
-- not a re-audit itself, with the first later audit whose reaudit_of names it (found whenever it
-- happened), the days between them and the re-audit's effective grade.
WITH original AS (
    SELECT * FROM v_audit
    WHERE effective_grade = 4 AND audit_type <> 're-audit' AND reaudit_of IS NULL
),
first_reaudit AS (
    SELECT o.audit_id AS original_id, r.audit_date AS reaudit_date, r.effective_grade AS reaudit_grade,
           row_number() OVER (PARTITION BY o.audit_id ORDER BY r.audit_date, r.audit_id) AS nth
    FROM original o
    JOIN fact_audit r ON r.reaudit_of = o.audit_id AND r.audit_date > o.audit_date
)
SELECT o.la_code, o.service_area, o.team_id, o.team_name, o.audit_type, o.month_start,
       o.month_label, o.financial_quarter_label, o.financial_year,
       f.original_id IS NOT NULL AS reaudited,
       f.reaudit_date - o.audit_date AS days_to_reaudit,
       f.reaudit_grade,
       o.record_key
FROM original o
LEFT JOIN first_reaudit f ON f.original_id = o.audit_id AND f.nth = 1
