-- Inadequate audits (effective grade 4) that are not re-audits themselves, per organisation unit
-- and the period of the Inadequate audit, and what happened next: the first later audit whose
-- reaudit_of names it, whether that came within 6 weeks (42 days), and its effective grade.
-- Re-audits are found whenever they happened, inside the period range or not.
-- {org} and {period} are chosen by the service from fixed lists; {scope} is built from parameter
-- placeholders only.
WITH original AS (
    SELECT *
    FROM v_audit
    WHERE effective_grade = 4 AND audit_type <> 're-audit' AND reaudit_of IS NULL
      AND month_start >= $from AND month_start <= $to {scope}
),
first_reaudit AS (
    SELECT o.audit_id AS original_id, r.audit_date AS reaudit_date, r.effective_grade AS reaudit_grade,
           row_number() OVER (PARTITION BY o.audit_id ORDER BY r.audit_date, r.audit_id) AS nth
    FROM original o
    JOIN fact_audit r ON r.reaudit_of = o.audit_id AND r.audit_date > o.audit_date
)
SELECT {org}, {period} AS period,
       count(*) AS inadequate_audits,
       count(*) FILTER (WHERE f.reaudit_date <= o.audit_date + 42) AS reaudited_within_6_weeks,
       count(*) FILTER (WHERE f.reaudit_date > o.audit_date + 42) AS reaudited_later,
       count(*) FILTER (WHERE f.original_id IS NULL) AS not_reaudited,
       count(*) FILTER (WHERE f.reaudit_date <= o.audit_date + 42 AND f.reaudit_grade = 1) AS reaudit_outstanding,
       count(*) FILTER (WHERE f.reaudit_date <= o.audit_date + 42 AND f.reaudit_grade = 2) AS reaudit_good,
       count(*) FILTER (WHERE f.reaudit_date <= o.audit_date + 42 AND f.reaudit_grade = 3) AS reaudit_requires_improvement,
       count(*) FILTER (WHERE f.reaudit_date <= o.audit_date + 42 AND f.reaudit_grade = 4) AS reaudit_inadequate
FROM original o
LEFT JOIN first_reaudit f ON f.original_id = o.audit_id AND f.nth = 1
GROUP BY ALL
ORDER BY ALL;
