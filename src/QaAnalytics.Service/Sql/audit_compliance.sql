-- Audit requests per organisation unit and the period the request was sent: sent, returned,
-- returned by the due date, and how many had a due date (the denominator of the on-time rate).
-- {org} and {period} are chosen by the service from fixed lists; {scope} is built from parameter
-- placeholders only.
SELECT {org}, {period} AS period,
       count(*) AS sent,
       count(*) FILTER (WHERE is_returned) AS returned,
       count(due_date) AS with_due_date,
       count(*) FILTER (WHERE returned_by_due) AS returned_by_due
FROM v_audit_request
WHERE sent_date >= $from AND sent_date < $to + INTERVAL 1 MONTH {scope}
GROUP BY ALL
ORDER BY ALL;
