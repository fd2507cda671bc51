-- audit_requests.csv: audits the QA service asked managers to complete.
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           blank(request_id) AS request_id, blank(team_id) AS team_id, blank(manager_id) AS manager_id,
           sent_date AS sent_raw, qa_date(sent_date) AS sent_dt,
           due_date AS due_raw, qa_date(due_date) AS due_dt,
           returned_date AS returned_raw, qa_date(returned_date) AS returned_dt,
           blank(audit_id) AS audit_id,
           row_number() OVER (PARTITION BY blank(request_id) ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY blank(request_id)) AS first_line
    FROM src
)
SELECT s.*, request_id AS key,
    list_filter([
        need('request_id', request_id, 'every request needs its own id'),
        CASE WHEN request_id IS NOT NULL AND dup_rank > 1 THEN err('request_id', request_id,
            'request_id ' || request_id || ' already appears on line ' || first_line || '; only the first is loaded') END,
        need('team_id', team_id, 'give the team asked to audit'),
        CASE WHEN team_id IS NOT NULL AND t.known_team IS NULL THEN err('team_id', team_id,
            'team_id ' || team_id || ' is not in teams.csv or an earlier load; add the team or correct the id') END,
        need('manager_id', manager_id, 'give the manager asked to audit'),
        need('sent_date', sent_raw, 'give the date the request was sent'),
        date_err('sent_date', sent_raw),
        date_err('due_date', due_raw),
        date_err('returned_date', returned_raw),
        CASE WHEN due_dt < sent_dt THEN err('due_date', due_raw, 'due_date is before sent_date') END,
        CASE WHEN returned_dt < sent_dt THEN err('returned_date', returned_raw, 'returned_date is before sent_date') END,
        CASE WHEN returned_dt > $today THEN err('returned_date', returned_raw, 'returned_date is in the future') END
    ], e -> e IS NOT NULL) AS errors
FROM s LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;
