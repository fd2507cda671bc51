INSERT OR REPLACE INTO fact_complaint
SELECT c.record_id, c.record_type, c.team_id, c.received_dt, c.stage, c.responded_dt, c.outcome, c.theme,
       c.due_working_days,
       due.date_key,
       resp.working_day_seq - rec.working_day_seq,  -- working days after receipt, up to the response
       CASE WHEN c.responded_dt IS NOT NULL AND due.date_key IS NOT NULL THEN c.responded_dt <= due.date_key END,
       $run_id, c.line_no
FROM chk c
JOIN dim_date rec ON rec.date_key = c.received_dt
LEFT JOIN dim_date resp ON resp.date_key = c.responded_dt
LEFT JOIN dim_date due ON c.due_working_days IS NOT NULL AND due.is_working_day
     AND due.working_day_seq = rec.working_day_seq + c.due_working_days
WHERE len(c.errors) = 0;
