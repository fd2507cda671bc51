-- complaints.csv: complaints, compliments and MP enquiries. The council of a record is its
-- team's; a record with no team takes la_code (the column, or --la-code), or the council when the
-- snapshot holds only one.
-- chk: typed rows, one reason column per check and ok; problems: the failed checks of each row that failed one.
-- A file holds a handful of distinct record type, stage and outcome spellings: parse (and trim) each once, then join.
CREATE OR REPLACE TEMP TABLE spelling AS
SELECT x AS raw, blank(x) AS trimmed,
       CASE norm(x) WHEN 'complaint' THEN 'complaint' WHEN 'compliment' THEN 'compliment'
           WHEN 'mp enquiry' THEN 'mp_enquiry' WHEN 'mp' THEN 'mp_enquiry' END AS record_type,
       CASE norm(x) WHEN '1' THEN '1' WHEN 'stage 1' THEN '1' WHEN '2' THEN '2' WHEN 'stage 2' THEN '2'
           WHEN '3' THEN '3' WHEN 'stage 3' THEN '3' WHEN 'lgsco' THEN 'LGSCO' WHEN 'ombudsman' THEN 'LGSCO' END AS stage,
       CASE norm(x) WHEN 'upheld' THEN 'upheld' WHEN 'partly upheld' THEN 'partly upheld'
           WHEN 'partially upheld' THEN 'partly upheld' WHEN 'not upheld' THEN 'not upheld'
           WHEN 'withdrawn' THEN 'withdrawn' END AS outcome
FROM (SELECT DISTINCT x FROM (SELECT unnest([record_type, stage, outcome]) AS x FROM src) WHERE x IS NOT NULL);

-- Grouping the keys' 64-bit hashes costs less than grouping their text; only the rare keys
-- whose hash repeats are then grouped exactly.
CREATE OR REPLACE TEMP TABLE dup AS
SELECT key, min(line_no) AS first_line FROM (SELECT line_no, blank(record_id) AS key FROM src)
WHERE key IS NOT NULL AND hash(key) IN (SELECT hash(blank(record_id)) AS h FROM src GROUP BY h HAVING count(*) > 1)
GROUP BY key HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_record_id, r_duplicate, r_record_type, r_team_unknown, r_la_code_blank, r_la_code_unknown, r_la_code_team,
                   r_received_blank, r_received, r_received_future, r_responded, r_responded_order, r_stage_blank, r_stage,
                   r_stage_not_complaint, r_outcome) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN record_id IS NULL THEN 'record_id is blank; every record needs its own id' END AS r_record_id,
        CASE WHEN line_no > first_line THEN 'record_id ' || record_id || ' already appears on line ' || first_line || '; only the first is loaded' END AS r_duplicate,
        CASE WHEN record_type IS NULL THEN 'record_type must be complaint, compliment or mp_enquiry' END AS r_record_type,
        CASE WHEN team_id IS NOT NULL AND NOT known_team THEN unknown_team('team_id ' || team_id) || ', or leave it blank' END AS r_team_unknown,
        CASE WHEN team_id IS NULL AND la_code IS NULL THEN 'la_code is blank and so is team_id, and the snapshot holds several councils; give the council of a record with no team (an la_code column, or --la-code)' END AS r_la_code_blank,
        CASE WHEN la_code_raw IS NOT NULL AND NOT known_council THEN 'la_code ' || la_code_raw || ' is not a council in teams.csv or an earlier load' END AS r_la_code_unknown,
        CASE WHEN known_council AND known_team AND la_code_raw <> team_la_code THEN 'la_code ' || la_code_raw || ' is not the council of team ' || team_id || ' (' || team_la_code || ')' END AS r_la_code_team,
        CASE WHEN received_raw IS NULL THEN 'received_date is blank; give the date the record was received' END AS r_received_blank,
        'received_date ' || date_problem(received_raw, received_dt) AS r_received,
        CASE WHEN received_dt > getvariable('today') THEN 'received_date is in the future' END AS r_received_future,
        'responded_date ' || date_problem(responded_raw, responded_dt) AS r_responded,
        CASE WHEN responded_dt < received_dt THEN 'responded_date is before received_date' END AS r_responded_order,
        CASE WHEN record_type = 'complaint' AND stage_raw IS NULL THEN 'a complaint needs its stage: 1, 2, 3 or LGSCO' END AS r_stage_blank,
        CASE WHEN stage_raw IS NOT NULL AND stage IS NULL THEN 'stage must be 1, 2, 3 or LGSCO' END AS r_stage,
        CASE WHEN record_type IN ('compliment', 'mp_enquiry') AND stage_raw IS NOT NULL THEN 'only complaints have a stage; leave it blank for a ' || replace(record_type, '_', ' ') END AS r_stage_not_complaint,
        CASE WHEN outcome_raw IS NOT NULL AND outcome IS NULL THEN 'outcome must be upheld, partly upheld, not upheld or withdrawn' END AS r_outcome
    FROM (
        SELECT s.*, t.known_team IS NOT NULL AS known_team, t.team_la_code,
               s.la_code_raw IN (SELECT la_code FROM dim_team) AS known_council,
               coalesce(t.team_la_code, s.la_code_raw, (SELECT min(la_code) FROM dim_team HAVING count(DISTINCT la_code) = 1)) AS la_code,
               CASE s.stage WHEN '1' THEN 10 WHEN '2' THEN 25 WHEN '3' THEN 30 END AS due_working_days,
               d.first_line
        FROM (
            SELECT line_no,
                   blank(record_id) AS record_id, blank(record_id) AS key,
                   rt.trimmed AS record_type_raw,
                   rt.record_type,
                   blank(team_id) AS team_id,
                   blank(received_date) AS received_raw, qa_date(received_date) AS received_dt,
                   st.trimmed AS stage_raw,
                   st.stage,
                   blank(responded_date) AS responded_raw, qa_date(responded_date) AS responded_dt,
                   oc.trimmed AS outcome_raw,
                   oc.outcome,
                   blank(theme) AS theme,
                   blank(la_code) AS la_code_raw
            FROM src
            LEFT JOIN spelling rt ON rt.raw = src.record_type
            LEFT JOIN spelling st ON st.raw = src.stage
            LEFT JOIN spelling oc ON oc.raw = src.outcome
        ) s
        LEFT JOIN (SELECT team_id AS known_team, la_code AS team_la_code FROM dim_team) t ON t.known_team = s.team_id
        LEFT JOIN dup d ON d.key = s.key
    ) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'record_id', value: NULL::VARCHAR, reason: r_record_id},
    {column_name: 'record_id', value: record_id, reason: r_duplicate},
    {column_name: 'record_type', value: record_type_raw, reason: r_record_type},
    {column_name: 'team_id', value: team_id, reason: r_team_unknown},
    {column_name: 'la_code', value: NULL::VARCHAR, reason: r_la_code_blank},
    {column_name: 'la_code', value: la_code_raw, reason: r_la_code_unknown},
    {column_name: 'la_code', value: la_code_raw, reason: r_la_code_team},
    {column_name: 'received_date', value: NULL::VARCHAR, reason: r_received_blank},
    {column_name: 'received_date', value: received_raw, reason: r_received},
    {column_name: 'received_date', value: received_raw, reason: r_received_future},
    {column_name: 'responded_date', value: responded_raw, reason: r_responded},
    {column_name: 'responded_date', value: responded_raw, reason: r_responded_order},
    {column_name: 'stage', value: NULL::VARCHAR, reason: r_stage_blank},
    {column_name: 'stage', value: stage_raw, reason: r_stage},
    {column_name: 'stage', value: stage_raw, reason: r_stage_not_complaint},
    {column_name: 'outcome', value: outcome_raw, reason: r_outcome}] AS checks
FROM chk WHERE NOT ok;
