-- complaints.csv: complaints, compliments and MP enquiries. Statutory due dates are counted in
-- England and Wales working days from the day after receipt, through dim_date.working_day_seq.
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           blank(record_id) AS record_id,
           blank(record_type) AS record_type_raw,
           CASE norm(record_type) WHEN 'complaint' THEN 'complaint' WHEN 'compliment' THEN 'compliment'
               WHEN 'mp enquiry' THEN 'mp_enquiry' WHEN 'mp' THEN 'mp_enquiry' END AS record_type,
           blank(team_id) AS team_id,
           received_date AS received_raw, qa_date(received_date) AS received_dt,
           blank(stage) AS stage_raw,
           CASE norm(stage) WHEN '1' THEN '1' WHEN 'stage 1' THEN '1' WHEN '2' THEN '2' WHEN 'stage 2' THEN '2'
               WHEN '3' THEN '3' WHEN 'stage 3' THEN '3' WHEN 'lgsco' THEN 'LGSCO' WHEN 'ombudsman' THEN 'LGSCO' END AS stage,
           responded_date AS responded_raw, qa_date(responded_date) AS responded_dt,
           blank(outcome) AS outcome_raw,
           CASE norm(outcome) WHEN 'upheld' THEN 'upheld' WHEN 'partly upheld' THEN 'partly upheld'
               WHEN 'partially upheld' THEN 'partly upheld' WHEN 'not upheld' THEN 'not upheld'
               WHEN 'withdrawn' THEN 'withdrawn' END AS outcome,
           blank(theme) AS theme,
           row_number() OVER (PARTITION BY blank(record_id) ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY blank(record_id)) AS first_line
    FROM src
)
SELECT s.*, record_id AS key,
    CASE s.stage WHEN '1' THEN 10 WHEN '2' THEN 25 WHEN '3' THEN 30 END AS due_working_days,
    list_filter([
        need('record_id', record_id, 'every record needs its own id'),
        CASE WHEN record_id IS NOT NULL AND dup_rank > 1 THEN err('record_id', record_id,
            'record_id ' || record_id || ' already appears on line ' || first_line || '; only the first is loaded') END,
        need('record_type', record_type_raw, 'use complaint, compliment or mp_enquiry'),
        CASE WHEN record_type_raw IS NOT NULL AND record_type IS NULL THEN err('record_type', record_type_raw,
            'record_type must be complaint, compliment or mp_enquiry') END,
        CASE WHEN s.team_id IS NOT NULL AND t.known_team IS NULL THEN err('team_id', s.team_id,
            'team_id ' || s.team_id || ' is not in teams.csv or an earlier load; add the team, correct the id or leave it blank') END,
        need('received_date', received_raw, 'give the date the record was received'),
        date_err('received_date', received_raw),
        CASE WHEN received_dt > $today THEN err('received_date', received_raw, 'received_date is in the future') END,
        date_err('responded_date', responded_raw),
        CASE WHEN responded_dt < received_dt THEN err('responded_date', responded_raw,
            'responded_date is before received_date') END,
        CASE WHEN record_type = 'complaint' AND stage_raw IS NULL THEN err('stage', NULL,
            'a complaint needs its stage: 1, 2, 3 or LGSCO') END,
        CASE WHEN stage_raw IS NOT NULL AND s.stage IS NULL THEN err('stage', stage_raw,
            'stage must be 1, 2, 3 or LGSCO') END,
        CASE WHEN record_type IN ('compliment', 'mp_enquiry') AND stage_raw IS NOT NULL THEN err('stage', stage_raw,
            'only complaints have a stage; leave it blank for a ' || replace(record_type, '_', ' ')) END,
        CASE WHEN outcome_raw IS NOT NULL AND outcome IS NULL THEN err('outcome', outcome_raw,
            'outcome must be upheld, partly upheld, not upheld or withdrawn') END
    ], e -> e IS NOT NULL) AS errors
FROM s LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;
