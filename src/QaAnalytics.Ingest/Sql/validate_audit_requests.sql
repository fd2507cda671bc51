-- audit_requests.csv: audits the QA service asked managers to complete.
CREATE OR REPLACE TEMP TABLE chk AS
SELECT s.*, t.known_team IS NOT NULL AS known_team
FROM (
    SELECT line_no,
           blank(request_id) AS request_id, blank(request_id) AS key,
           blank(team_id) AS team_id, blank(manager_id) AS manager_id,
           blank(sent_date) AS sent_raw, qa_date(sent_date) AS sent_dt,
           blank(due_date) AS due_raw, qa_date(due_date) AS due_dt,
           blank(returned_date) AS returned_raw, qa_date(returned_date) AS returned_dt,
           blank(audit_id) AS audit_id
    FROM src
) s LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;

CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'request_id' AS column_name, CAST(NULL AS VARCHAR) AS value, 'request_id is blank; every request needs its own id' AS reason FROM chk WHERE request_id IS NULL
UNION ALL SELECT line_no, 'request_id', request_id, 'request_id ' || request_id || ' already appears on line ' || d.first_line || '; only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line
UNION ALL SELECT line_no, 'team_id', NULL, 'team_id is blank; give the team asked to audit' FROM chk WHERE team_id IS NULL
UNION ALL SELECT line_no, 'team_id', team_id, unknown_team('team_id ' || team_id) FROM chk WHERE team_id IS NOT NULL AND NOT known_team
UNION ALL SELECT line_no, 'manager_id', NULL, 'manager_id is blank; give the manager asked to audit' FROM chk WHERE manager_id IS NULL
UNION ALL SELECT line_no, 'sent_date', NULL, 'sent_date is blank; give the date the request was sent' FROM chk WHERE sent_raw IS NULL
UNION ALL SELECT line_no, 'sent_date', sent_raw, 'sent_date ' || date_problem(sent_raw, sent_dt) FROM chk WHERE date_problem(sent_raw, sent_dt) IS NOT NULL
UNION ALL SELECT line_no, 'due_date', due_raw, 'due_date ' || date_problem(due_raw, due_dt) FROM chk WHERE date_problem(due_raw, due_dt) IS NOT NULL
UNION ALL SELECT line_no, 'returned_date', returned_raw, 'returned_date ' || date_problem(returned_raw, returned_dt) FROM chk WHERE date_problem(returned_raw, returned_dt) IS NOT NULL
UNION ALL SELECT line_no, 'due_date', due_raw, 'due_date is before sent_date' FROM chk WHERE due_dt < sent_dt
UNION ALL SELECT line_no, 'returned_date', returned_raw, 'returned_date is before sent_date' FROM chk WHERE returned_dt < sent_dt
UNION ALL SELECT line_no, 'returned_date', returned_raw, 'returned_date is in the future' FROM chk WHERE returned_dt > getvariable('today');
