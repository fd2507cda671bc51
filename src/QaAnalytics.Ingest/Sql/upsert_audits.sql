INSERT OR REPLACE INTO fact_audit
SELECT c.audit_id,
       hmac_hex($ipad, $opad, c.child_id_raw),
       c.team_id, c.worker_id, c.auditor_id, c.audit_type, c.audit_dt,
       c.overall_code, c.moderated_code, c.moderator_id, c.moderation_dt,
       c.moderated_code IS NOT NULL,
       coalesce(c.moderated_code, c.overall_code),
       5 - c.overall_code,
       5 - coalesce(c.moderated_code, c.overall_code),
       CASE WHEN c.moderated_code IS NOT NULL THEN c.overall_code - c.moderated_code END,
       coalesce(c.moderated_code, c.overall_code) <= 2,
       grade_code(c.chronology_grade), grade_code(c.assessment_grade), grade_code(c.plan_grade),
       grade_code(c.visiting_grade), grade_code(c.supervision_grade),
       yes_no(c.child_voice_evident), yes_no(c.immediate_concern),
       c.reaudit_of, $run_id, c.line_no
FROM chk c WHERE len(c.errors) = 0;
