-- Audit grade counts per organisation unit and period. {org} and {period} are chosen by the
-- service from fixed lists; {scope} is built from parameter placeholders only.
SELECT {org}, {period} AS period,
       count(*) AS audits,
       count(*) FILTER (WHERE effective_grade = 1) AS effective_outstanding,
       count(*) FILTER (WHERE effective_grade = 2) AS effective_good,
       count(*) FILTER (WHERE effective_grade = 3) AS effective_requires_improvement,
       count(*) FILTER (WHERE effective_grade = 4) AS effective_inadequate,
       count(*) FILTER (WHERE overall_grade = 1) AS original_outstanding,
       count(*) FILTER (WHERE overall_grade = 2) AS original_good,
       count(*) FILTER (WHERE overall_grade = 3) AS original_requires_improvement,
       count(*) FILTER (WHERE overall_grade = 4) AS original_inadequate,
       count(*) FILTER (WHERE is_moderated) AS moderated
FROM v_audit
WHERE month_start >= $from AND month_start <= $to {scope}
GROUP BY ALL
ORDER BY ALL;
