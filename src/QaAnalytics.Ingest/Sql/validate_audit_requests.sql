-- audit_requests.csv: audits the QA service asked managers to complete.
-- chk: typed rows, one reason column per check and ok; problems: the failed checks of each row that failed one.
-- Grouping the keys' 64-bit hashes costs less than grouping their text; only the rare keys
-- whose hash repeats are then grouped exactly.
CREATE OR REPLACE TEMP TABLE dup AS
SELECT key, min(line_no) AS first_line FROM (SELECT line_no, blank(request_id) AS key FROM src)
WHERE key IS NOT NULL AND hash(key) IN (SELECT hash(blank(request_id)) AS h FROM src GROUP BY h HAVING count(*) > 1)
GROUP BY key HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_request_id, r_duplicate, r_team_blank, r_team_unknown, r_manager_id, r_sent_blank, r_sent, r_due,
                   r_returned, r_due_order, r_returned_order, r_returned_future) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN request_id IS NULL THEN 'request_id is blank; every request needs its own id' END AS r_request_id,
        CASE WHEN line_no > first_line THEN 'request_id ' || request_id || ' already appears on line ' || first_line || '; only the first is loaded' END AS r_duplicate,
        CASE WHEN team_id IS NULL THEN 'team_id is blank; give the team asked to audit' END AS r_team_blank,
        CASE WHEN team_id IS NOT NULL AND NOT known_team THEN unknown_team('team_id ' || team_id) END AS r_team_unknown,
        CASE WHEN manager_id IS NULL THEN 'manager_id is blank; give the manager asked to audit' END AS r_manager_id,
        CASE WHEN sent_raw IS NULL THEN 'sent_date is blank; give the date the request was sent' END AS r_sent_blank,
        'sent_date ' || date_problem(sent_raw, sent_dt) AS r_sent,
        'due_date ' || date_problem(due_raw, due_dt) AS r_due,
        'returned_date ' || date_problem(returned_raw, returned_dt) AS r_returned,
        CASE WHEN due_dt < sent_dt THEN 'due_date is before sent_date' END AS r_due_order,
        CASE WHEN returned_dt < sent_dt THEN 'returned_date is before sent_date' END AS r_returned_order,
        CASE WHEN returned_dt > getvariable('today') THEN 'returned_date is in the future' END AS r_returned_future
    FROM (
        SELECT s.*, t.known_team IS NOT NULL AS known_team, d.first_line
        FROM (
            SELECT line_no,
                   blank(request_id) AS request_id, blank(request_id) AS key,
                   blank(team_id) AS team_id, blank(manager_id) AS manager_id,
                   blank(sent_date) AS sent_raw, qa_date(sent_date) AS sent_dt,
                   blank(due_date) AS due_raw, qa_date(due_date) AS due_dt,
                   blank(returned_date) AS returned_raw, qa_date(returned_date) AS returned_dt,
                   blank(audit_id) AS audit_id
            FROM src
        ) s
        LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id
        LEFT JOIN dup d ON d.key = s.key
    ) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'request_id', value: NULL::VARCHAR, reason: r_request_id},
    {column_name: 'request_id', value: request_id, reason: r_duplicate},
    {column_name: 'team_id', value: NULL::VARCHAR, reason: r_team_blank},
    {column_name: 'team_id', value: team_id, reason: r_team_unknown},
    {column_name: 'manager_id', value: NULL::VARCHAR, reason: r_manager_id},
    {column_name: 'sent_date', value: NULL::VARCHAR, reason: r_sent_blank},
    {column_name: 'sent_date', value: sent_raw, reason: r_sent},
    {column_name: 'due_date', value: due_raw, reason: r_due},
    {column_name: 'returned_date', value: returned_raw, reason: r_returned},
    {column_name: 'due_date', value: due_raw, reason: r_due_order},
    {column_name: 'returned_date', value: returned_raw, reason: r_returned_order},
    {column_name: 'returned_date', value: returned_raw, reason: r_returned_future}] AS checks
FROM chk WHERE NOT ok;
