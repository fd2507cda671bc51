INSERT INTO fact_audit_request
SELECT request_id, team_id, manager_id, sent_dt, due_dt, returned_dt, audit_id,
       returned_dt IS NOT NULL,
       CASE WHEN returned_dt IS NOT NULL AND due_dt IS NOT NULL THEN returned_dt <= due_dt END,
       $run_id, line_no,
       record_key('audit_requests|' || key)
FROM good;
