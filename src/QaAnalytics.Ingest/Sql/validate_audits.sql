-- audits.csv: one row per completed audit / Practice Learning Review.
-- child_id is turned into child_key here and is never copied into a reject.
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           blank(audit_id) AS audit_id, blank(child_id) AS child_id_raw,
           blank(team_id) AS team_id, blank(worker_id) AS worker_id, blank(auditor_id) AS auditor_id,
           blank(audit_type) AS audit_type_raw,
           CASE norm(audit_type) WHEN 'case' THEN 'case' WHEN 'case audit' THEN 'case'
               WHEN 'collaborative' THEN 'collaborative' WHEN 'collaborative audit' THEN 'collaborative'
               WHEN 'thematic' THEN 'thematic' WHEN 'thematic audit' THEN 'thematic'
               WHEN 're audit' THEN 're-audit' WHEN 'reaudit' THEN 're-audit' END AS audit_type,
           audit_date AS audit_date_raw, qa_date(audit_date) AS audit_dt,
           overall_grade AS overall_raw, grade_code(overall_grade) AS overall_code,
           moderated_grade AS moderated_raw, grade_code(moderated_grade) AS moderated_code,
           blank(moderator_id) AS moderator_id,
           moderation_date AS moderation_date_raw, qa_date(moderation_date) AS moderation_dt,
           chronology_grade, assessment_grade, plan_grade, visiting_grade, supervision_grade,
           child_voice_evident, immediate_concern,
           blank(reaudit_of) AS reaudit_of,
           row_number() OVER (PARTITION BY blank(audit_id) ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY blank(audit_id)) AS first_line
    FROM src
)
SELECT s.*, audit_id AS key,
    list_filter([
        need('audit_id', audit_id, 'every audit needs its own id'),
        CASE WHEN audit_id IS NOT NULL AND dup_rank > 1 THEN err('audit_id', audit_id,
            'audit_id ' || audit_id || ' already appears on line ' || first_line || '; audit ids must be unique, only the first is loaded') END,
        need('child_id', child_id_raw, 'every audit needs the child''s id (it is pseudonymised on load)'),
        need('team_id', team_id, 'give the team that holds the case'),
        CASE WHEN team_id IS NOT NULL AND t.known_team IS NULL THEN err('team_id', team_id,
            'team_id ' || team_id || ' is not in teams.csv or an earlier load; add the team or correct the id') END,
        need('worker_id', worker_id, 'give the allocated worker''s id'),
        need('auditor_id', auditor_id, 'give the auditing manager''s id'),
        need('audit_type', audit_type_raw, 'use case, collaborative, thematic or re-audit'),
        CASE WHEN audit_type_raw IS NOT NULL AND audit_type IS NULL THEN err('audit_type', audit_type_raw,
            'audit_type must be case, collaborative, thematic or re-audit') END,
        need('audit_date', audit_date_raw, 'give the date the audit was completed'),
        date_err('audit_date', audit_date_raw),
        CASE WHEN audit_dt > $today THEN err('audit_date', audit_date_raw, 'audit_date is in the future') END,
        need('overall_grade', overall_raw, 'give the overall grade'),
        grade_err('overall_grade', overall_raw),
        grade_err('moderated_grade', moderated_raw),
        date_err('moderation_date', moderation_date_raw),
        CASE WHEN blank(moderation_date_raw) IS NOT NULL AND blank(moderated_raw) IS NULL THEN err('moderated_grade', NULL,
            'moderation_date is given but moderated_grade is blank; give the grade the moderator agreed') END,
        CASE WHEN moderation_dt < audit_dt THEN err('moderation_date', moderation_date_raw,
            'moderation_date is before audit_date; a moderation follows the audit') END,
        grade_err('chronology_grade', chronology_grade),
        grade_err('assessment_grade', assessment_grade),
        grade_err('plan_grade', plan_grade),
        grade_err('visiting_grade', visiting_grade),
        grade_err('supervision_grade', supervision_grade),
        yes_no_err('child_voice_evident', child_voice_evident),
        yes_no_err('immediate_concern', immediate_concern),
        CASE WHEN reaudit_of = audit_id THEN err('reaudit_of', reaudit_of, 'an audit cannot re-audit itself') END
    ], e -> e IS NOT NULL) AS errors
FROM s LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;
