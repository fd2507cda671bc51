-- Moderation per organisation unit and period (and auditor when asked): of the audits, how many
-- the QA service moderated, and of those how many kept their grade (agreed), were upgraded or were
-- downgraded. grade_change = effective score - original score, so + is an upgrade.
-- {org}, {period} and {auditor} are chosen by the service from fixed lists; {scope} is built from
-- parameter placeholders only.
SELECT {org}, {period} AS period{auditor},
       count(*) AS audits,
       count(*) FILTER (WHERE is_moderated) AS moderated,
       count(*) FILTER (WHERE is_moderated AND grade_change = 0) AS agreed,
       count(*) FILTER (WHERE is_moderated AND grade_change > 0) AS upgrades,
       count(*) FILTER (WHERE is_moderated AND grade_change < 0) AS downgrades
FROM v_audit
WHERE month_start >= $from AND month_start <= $to {scope}
GROUP BY ALL
ORDER BY ALL;
