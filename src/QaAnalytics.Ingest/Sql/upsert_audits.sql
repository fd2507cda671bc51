INSERT INTO fact_audit
SELECT audit_id,
       qa_hmac(child_id_raw),
       team_id, worker_id, auditor_id, audit_type, audit_dt,
       overall_code, moderated_code, moderator_id, moderation_dt,
       moderated_code IS NOT NULL,
       coalesce(moderated_code, overall_code),
       5 - overall_code,
       5 - coalesce(moderated_code, overall_code),
       CASE WHEN moderated_code IS NOT NULL THEN overall_code - moderated_code END,
       coalesce(moderated_code, overall_code) <= 2,
       chronology_code, assessment_code, plan_code, visiting_code, supervision_code,
       child_voice, concern,
       reaudit_of, $run_id, line_no,
       record_key('audits|' || key)
FROM good;
