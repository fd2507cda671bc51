-- complaints.csv: complaints, compliments and MP enquiries. The council of a record is its
-- team's; a record with no team takes la_code (the column, or --la-code), or the council when the
-- snapshot holds only one.
CREATE OR REPLACE TEMP TABLE chk AS
SELECT s.*, t.known_team IS NOT NULL AS known_team, t.team_la_code,
       s.la_code_raw IN (SELECT la_code FROM dim_team) AS known_council,
       coalesce(t.team_la_code, s.la_code_raw, (SELECT min(la_code) FROM dim_team HAVING count(DISTINCT la_code) = 1)) AS la_code,
       CASE s.stage WHEN '1' THEN 10 WHEN '2' THEN 25 WHEN '3' THEN 30 END AS due_working_days
FROM (
    SELECT line_no,
           blank(record_id) AS record_id, blank(record_id) AS key,
           blank(record_type) AS record_type_raw,
           CASE norm(record_type) WHEN 'complaint' THEN 'complaint' WHEN 'compliment' THEN 'compliment'
               WHEN 'mp enquiry' THEN 'mp_enquiry' WHEN 'mp' THEN 'mp_enquiry' END AS record_type,
           blank(team_id) AS team_id,
           blank(received_date) AS received_raw, qa_date(received_date) AS received_dt,
           blank(stage) AS stage_raw,
           CASE norm(stage) WHEN '1' THEN '1' WHEN 'stage 1' THEN '1' WHEN '2' THEN '2' WHEN 'stage 2' THEN '2'
               WHEN '3' THEN '3' WHEN 'stage 3' THEN '3' WHEN 'lgsco' THEN 'LGSCO' WHEN 'ombudsman' THEN 'LGSCO' END AS stage,
           blank(responded_date) AS responded_raw, qa_date(responded_date) AS responded_dt,
           blank(outcome) AS outcome_raw,
           CASE norm(outcome) WHEN 'upheld' THEN 'upheld' WHEN 'partly upheld' THEN 'partly upheld'
               WHEN 'partially upheld' THEN 'partly upheld' WHEN 'not upheld' THEN 'not upheld'
               WHEN 'withdrawn' THEN 'withdrawn' END AS outcome,
           blank(theme) AS theme,
           blank(la_code) AS la_code_raw
    FROM src
) s LEFT JOIN (SELECT team_id AS known_team, la_code AS team_la_code FROM dim_team) t ON t.known_team = s.team_id;

CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'record_id' AS column_name, CAST(NULL AS VARCHAR) AS value, 'record_id is blank; every record needs its own id' AS reason FROM chk WHERE record_id IS NULL
UNION ALL SELECT line_no, 'record_id', record_id, 'record_id ' || record_id || ' already appears on line ' || d.first_line || '; only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line
UNION ALL SELECT line_no, 'record_type', record_type_raw, 'record_type must be complaint, compliment or mp_enquiry' FROM chk WHERE record_type IS NULL
UNION ALL SELECT line_no, 'team_id', team_id, unknown_team('team_id ' || team_id) || ', or leave it blank' FROM chk WHERE team_id IS NOT NULL AND NOT known_team
UNION ALL SELECT line_no, 'la_code', NULL, 'la_code is blank and so is team_id, and the snapshot holds several councils; give the council of a record with no team (an la_code column, or --la-code)' FROM chk WHERE team_id IS NULL AND la_code IS NULL
UNION ALL SELECT line_no, 'la_code', la_code_raw, 'la_code ' || la_code_raw || ' is not a council in teams.csv or an earlier load' FROM chk WHERE la_code_raw IS NOT NULL AND NOT known_council
UNION ALL SELECT line_no, 'la_code', la_code_raw, 'la_code ' || la_code_raw || ' is not the council of team ' || team_id || ' (' || team_la_code || ')' FROM chk WHERE known_council AND known_team AND la_code_raw <> team_la_code
UNION ALL SELECT line_no, 'received_date', NULL, 'received_date is blank; give the date the record was received' FROM chk WHERE received_raw IS NULL
UNION ALL SELECT line_no, 'received_date', received_raw, 'received_date ' || date_problem(received_raw, received_dt) FROM chk WHERE date_problem(received_raw, received_dt) IS NOT NULL
UNION ALL SELECT line_no, 'received_date', received_raw, 'received_date is in the future' FROM chk WHERE received_dt > getvariable('today')
UNION ALL SELECT line_no, 'responded_date', responded_raw, 'responded_date ' || date_problem(responded_raw, responded_dt) FROM chk WHERE date_problem(responded_raw, responded_dt) IS NOT NULL
UNION ALL SELECT line_no, 'responded_date', responded_raw, 'responded_date is before received_date' FROM chk WHERE responded_dt < received_dt
UNION ALL SELECT line_no, 'stage', NULL, 'a complaint needs its stage: 1, 2, 3 or LGSCO' FROM chk WHERE record_type = 'complaint' AND stage_raw IS NULL
UNION ALL SELECT line_no, 'stage', stage_raw, 'stage must be 1, 2, 3 or LGSCO' FROM chk WHERE stage_raw IS NOT NULL AND stage IS NULL
UNION ALL SELECT line_no, 'stage', stage_raw, 'only complaints have a stage; leave it blank for a ' || replace(record_type, '_', ' ') FROM chk WHERE record_type IN ('compliment', 'mp_enquiry') AND stage_raw IS NOT NULL
UNION ALL SELECT line_no, 'outcome', outcome_raw, 'outcome must be upheld, partly upheld, not upheld or withdrawn' FROM chk WHERE outcome_raw IS NOT NULL AND outcome IS NULL;
