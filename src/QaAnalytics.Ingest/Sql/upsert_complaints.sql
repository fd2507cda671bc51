-- Statutory due dates in England and Wales working days from the day after receipt, through
-- dim_date.working_day_seq: "N working days after d" is the working day whose seq is seq(d) + N.
INSERT INTO fact_complaint
SELECT c.record_id, c.record_type, c.team_id, c.received_dt, c.stage, c.responded_dt, c.outcome, c.theme,
       c.due_working_days,
       due.date_key,
       resp.working_day_seq - rec.working_day_seq,  -- working days after receipt, up to the response
       CASE WHEN c.responded_dt IS NOT NULL AND due.date_key IS NOT NULL THEN c.responded_dt <= due.date_key END,
       $run_id, c.line_no, c.la_code,
       record_key('complaints|' || c.key)
FROM good c
JOIN dim_date rec ON rec.date_key = c.received_dt
LEFT JOIN dim_date resp ON resp.date_key = c.responded_dt
LEFT JOIN (SELECT date_key, working_day_seq FROM dim_date WHERE is_working_day) due
     ON due.working_day_seq = rec.working_day_seq + c.due_working_days;
