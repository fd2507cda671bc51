-- audits.csv: one row per completed audit / Practice Learning Review.
-- chk: one typed row per staged row; bad: one row per problem (line, column, value, reason).
-- child_id is pseudonymised from chk by upsert_audits.sql and is never copied into bad.

-- A file holds a handful of distinct grade and type spellings: parse each once, then join.
CREATE OR REPLACE TEMP TABLE spelling AS
SELECT x AS raw, grade_code(x) AS grade,
       CASE norm(x) WHEN 'case' THEN 'case' WHEN 'case audit' THEN 'case'
           WHEN 'collaborative' THEN 'collaborative' WHEN 'collaborative audit' THEN 'collaborative'
           WHEN 'thematic' THEN 'thematic' WHEN 'thematic audit' THEN 'thematic'
           WHEN 're audit' THEN 're-audit' WHEN 'reaudit' THEN 're-audit' END AS audit_type,
       yes_no(x) AS yes_no
FROM (SELECT DISTINCT x FROM (
    SELECT unnest([overall_grade, moderated_grade, chronology_grade, assessment_grade, plan_grade, visiting_grade,
                   supervision_grade, audit_type, child_voice_evident, immediate_concern]) AS x FROM src)
    WHERE x IS NOT NULL);

CREATE OR REPLACE TEMP TABLE chk AS
SELECT s.*, t.known_team IS NOT NULL AS known_team
FROM (
    SELECT line_no,
           blank(audit_id) AS audit_id, blank(audit_id) AS key, blank(child_id) AS child_id_raw,
           blank(team_id) AS team_id, blank(worker_id) AS worker_id, blank(auditor_id) AS auditor_id,
           blank(src.audit_type) AS audit_type_raw, ty.audit_type,
           blank(audit_date) AS audit_date_raw, qa_date(audit_date) AS audit_dt,
           blank(overall_grade) AS overall_raw, o.grade AS overall_code,
           blank(moderated_grade) AS moderated_raw, m.grade AS moderated_code,
           blank(moderator_id) AS moderator_id,
           blank(moderation_date) AS moderation_date_raw, qa_date(moderation_date) AS moderation_dt,
           blank(chronology_grade) AS chronology_raw, g1.grade AS chronology_code,
           blank(assessment_grade) AS assessment_raw, g2.grade AS assessment_code,
           blank(plan_grade) AS plan_raw, g3.grade AS plan_code,
           blank(visiting_grade) AS visiting_raw, g4.grade AS visiting_code,
           blank(supervision_grade) AS supervision_raw, g5.grade AS supervision_code,
           blank(child_voice_evident) AS child_voice_raw, cv.yes_no AS child_voice,
           blank(immediate_concern) AS concern_raw, ic.yes_no AS concern,
           blank(reaudit_of) AS reaudit_of
    FROM src
    LEFT JOIN spelling ty ON ty.raw = src.audit_type
    LEFT JOIN spelling o ON o.raw = src.overall_grade
    LEFT JOIN spelling m ON m.raw = src.moderated_grade
    LEFT JOIN spelling g1 ON g1.raw = src.chronology_grade
    LEFT JOIN spelling g2 ON g2.raw = src.assessment_grade
    LEFT JOIN spelling g3 ON g3.raw = src.plan_grade
    LEFT JOIN spelling g4 ON g4.raw = src.visiting_grade
    LEFT JOIN spelling g5 ON g5.raw = src.supervision_grade
    LEFT JOIN spelling cv ON cv.raw = src.child_voice_evident
    LEFT JOIN spelling ic ON ic.raw = src.immediate_concern
) s LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id;

CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'audit_id' AS column_name, CAST(NULL AS VARCHAR) AS value, 'audit_id is blank; every audit needs its own id' AS reason FROM chk WHERE audit_id IS NULL
UNION ALL SELECT line_no, 'audit_id', audit_id, 'audit_id ' || audit_id || ' already appears on line ' || d.first_line || '; audit ids must be unique, only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line
UNION ALL SELECT line_no, 'child_id', NULL, 'child_id is blank; every audit needs the child''s id (it is pseudonymised on load)' FROM chk WHERE child_id_raw IS NULL
UNION ALL SELECT line_no, 'team_id', NULL, 'team_id is blank; give the team that holds the case' FROM chk WHERE team_id IS NULL
UNION ALL SELECT line_no, 'team_id', team_id, unknown_team('team_id ' || team_id) FROM chk WHERE team_id IS NOT NULL AND NOT known_team
UNION ALL SELECT line_no, 'worker_id', NULL, 'worker_id is blank; give the allocated worker''s id' FROM chk WHERE worker_id IS NULL
UNION ALL SELECT line_no, 'auditor_id', NULL, 'auditor_id is blank; give the auditing manager''s id' FROM chk WHERE auditor_id IS NULL
UNION ALL SELECT line_no, 'audit_type', audit_type_raw, 'audit_type must be case, collaborative, thematic or re-audit' FROM chk WHERE audit_type IS NULL
UNION ALL SELECT line_no, 'audit_date', NULL, 'audit_date is blank; give the date the audit was completed' FROM chk WHERE audit_date_raw IS NULL
UNION ALL SELECT line_no, 'audit_date', audit_date_raw, 'audit_date ' || date_problem(audit_date_raw, audit_dt) FROM chk WHERE date_problem(audit_date_raw, audit_dt) IS NOT NULL
UNION ALL SELECT line_no, 'audit_date', audit_date_raw, 'audit_date is in the future' FROM chk WHERE audit_dt > getvariable('today')
UNION ALL SELECT line_no, 'overall_grade', NULL, 'overall_grade is blank; give the overall grade' FROM chk WHERE overall_raw IS NULL
UNION ALL SELECT line_no, 'overall_grade', overall_raw, 'overall_grade is not a grade; use ' || grade_words() FROM chk WHERE overall_raw IS NOT NULL AND overall_code IS NULL
UNION ALL SELECT line_no, 'moderated_grade', moderated_raw, 'moderated_grade is not a grade; use ' || grade_words() FROM chk WHERE moderated_raw IS NOT NULL AND moderated_code IS NULL
UNION ALL SELECT line_no, 'moderated_grade', NULL, 'moderation_date is given but moderated_grade is blank; give the grade the moderator agreed' FROM chk WHERE moderation_date_raw IS NOT NULL AND moderated_raw IS NULL
UNION ALL SELECT line_no, 'moderation_date', moderation_date_raw, 'moderation_date ' || date_problem(moderation_date_raw, moderation_dt) FROM chk WHERE date_problem(moderation_date_raw, moderation_dt) IS NOT NULL
UNION ALL SELECT line_no, 'moderation_date', moderation_date_raw, 'moderation_date is before audit_date; a moderation follows the audit' FROM chk WHERE moderation_dt < audit_dt
UNION ALL SELECT line_no, 'chronology_grade', chronology_raw, 'chronology_grade is not a grade; use ' || grade_words() FROM chk WHERE chronology_raw IS NOT NULL AND chronology_code IS NULL
UNION ALL SELECT line_no, 'assessment_grade', assessment_raw, 'assessment_grade is not a grade; use ' || grade_words() FROM chk WHERE assessment_raw IS NOT NULL AND assessment_code IS NULL
UNION ALL SELECT line_no, 'plan_grade', plan_raw, 'plan_grade is not a grade; use ' || grade_words() FROM chk WHERE plan_raw IS NOT NULL AND plan_code IS NULL
UNION ALL SELECT line_no, 'visiting_grade', visiting_raw, 'visiting_grade is not a grade; use ' || grade_words() FROM chk WHERE visiting_raw IS NOT NULL AND visiting_code IS NULL
UNION ALL SELECT line_no, 'supervision_grade', supervision_raw, 'supervision_grade is not a grade; use ' || grade_words() FROM chk WHERE supervision_raw IS NOT NULL AND supervision_code IS NULL
UNION ALL SELECT line_no, 'child_voice_evident', child_voice_raw, 'child_voice_evident must be Y or N' FROM chk WHERE child_voice_raw IS NOT NULL AND child_voice IS NULL
UNION ALL SELECT line_no, 'immediate_concern', concern_raw, 'immediate_concern must be Y or N' FROM chk WHERE concern_raw IS NOT NULL AND concern IS NULL
UNION ALL SELECT line_no, 'reaudit_of', reaudit_of, 'reaudit_of is the audit''s own audit_id; an audit cannot re-audit itself, give the audit_id of the earlier audit' FROM chk WHERE reaudit_of = audit_id;
