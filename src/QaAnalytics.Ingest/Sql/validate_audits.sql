-- audits.csv: one row per completed audit / Practice Learning Review.
-- chk: one typed row per staged row, one reason column per check (NULL when the check passes)
-- and ok (every check passes); problems: the failed checks (column, value, reason) of each row
-- that failed one. Both are views over the staged text, so the accepted rows and the rejects each
-- come from one scan of it. child_id is pseudonymised from chk by upsert_audits.sql and is never
-- in problems.

-- A file holds a handful of distinct grade and type spellings: parse (and trim) each once, then join.
CREATE OR REPLACE TEMP TABLE spelling AS
SELECT x AS raw, blank(x) AS trimmed, grade_code(x) AS grade,
       CASE norm(x) WHEN 'case' THEN 'case' WHEN 'case audit' THEN 'case'
           WHEN 'collaborative' THEN 'collaborative' WHEN 'collaborative audit' THEN 'collaborative'
           WHEN 'thematic' THEN 'thematic' WHEN 'thematic audit' THEN 'thematic'
           WHEN 're audit' THEN 're-audit' WHEN 'reaudit' THEN 're-audit' END AS audit_type,
       yes_no(x) AS yes_no
FROM (SELECT DISTINCT x FROM (
    SELECT unnest([overall_grade, moderated_grade, chronology_grade, assessment_grade, plan_grade, visiting_grade,
                   supervision_grade, audit_type, child_voice_evident, immediate_concern]) AS x FROM src)
    WHERE x IS NOT NULL);

-- Keys given more than once, with the first line that gives each (only that one is loaded).
-- Grouping the keys' 64-bit hashes costs less than grouping their text; only the rare keys
-- whose hash repeats are then grouped exactly.
CREATE OR REPLACE TEMP TABLE dup AS
SELECT key, min(line_no) AS first_line FROM (SELECT line_no, blank(audit_id) AS key FROM src)
WHERE key IS NOT NULL AND hash(key) IN (SELECT hash(blank(audit_id)) AS h FROM src GROUP BY h HAVING count(*) > 1)
GROUP BY key HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_audit_id, r_duplicate, r_child_id, r_team_blank, r_team_unknown, r_worker_id, r_auditor_id, r_audit_type,
                   r_audit_date_blank, r_audit_date, r_audit_date_future, r_overall_blank, r_overall, r_moderated,
                   r_moderated_blank, r_moderation_date, r_moderation_order, r_chronology, r_assessment, r_plan,
                   r_visiting, r_supervision, r_child_voice, r_concern, r_reaudit_of) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN audit_id IS NULL THEN 'audit_id is blank; every audit needs its own id' END AS r_audit_id,
        CASE WHEN line_no > first_line THEN 'audit_id ' || audit_id || ' already appears on line ' || first_line || '; audit ids must be unique, only the first is loaded' END AS r_duplicate,
        CASE WHEN child_id_raw IS NULL THEN 'child_id is blank; every audit needs the child''s id (it is pseudonymised on load)' END AS r_child_id,
        CASE WHEN team_id IS NULL THEN 'team_id is blank; give the team that holds the case' END AS r_team_blank,
        CASE WHEN team_id IS NOT NULL AND NOT known_team THEN unknown_team('team_id ' || team_id) END AS r_team_unknown,
        CASE WHEN worker_id IS NULL THEN 'worker_id is blank; give the allocated worker''s id' END AS r_worker_id,
        CASE WHEN auditor_id IS NULL THEN 'auditor_id is blank; give the auditing manager''s id' END AS r_auditor_id,
        CASE WHEN audit_type IS NULL THEN 'audit_type must be case, collaborative, thematic or re-audit' END AS r_audit_type,
        CASE WHEN audit_date_raw IS NULL THEN 'audit_date is blank; give the date the audit was completed' END AS r_audit_date_blank,
        'audit_date ' || date_problem(audit_date_raw, audit_dt) AS r_audit_date,
        CASE WHEN audit_dt > getvariable('today') THEN 'audit_date is in the future' END AS r_audit_date_future,
        CASE WHEN overall_raw IS NULL THEN 'overall_grade is blank; give the overall grade' END AS r_overall_blank,
        CASE WHEN overall_raw IS NOT NULL AND overall_code IS NULL THEN 'overall_grade is not a grade; use ' || grade_words() END AS r_overall,
        CASE WHEN moderated_raw IS NOT NULL AND moderated_code IS NULL THEN 'moderated_grade is not a grade; use ' || grade_words() END AS r_moderated,
        CASE WHEN moderation_date_raw IS NOT NULL AND moderated_raw IS NULL THEN 'moderation_date is given but moderated_grade is blank; give the grade the moderator agreed' END AS r_moderated_blank,
        'moderation_date ' || date_problem(moderation_date_raw, moderation_dt) AS r_moderation_date,
        CASE WHEN moderation_dt < audit_dt THEN 'moderation_date is before audit_date; a moderation follows the audit' END AS r_moderation_order,
        CASE WHEN chronology_raw IS NOT NULL AND chronology_code IS NULL THEN 'chronology_grade is not a grade; use ' || grade_words() END AS r_chronology,
        CASE WHEN assessment_raw IS NOT NULL AND assessment_code IS NULL THEN 'assessment_grade is not a grade; use ' || grade_words() END AS r_assessment,
        CASE WHEN plan_raw IS NOT NULL AND plan_code IS NULL THEN 'plan_grade is not a grade; use ' || grade_words() END AS r_plan,
        CASE WHEN visiting_raw IS NOT NULL AND visiting_code IS NULL THEN 'visiting_grade is not a grade; use ' || grade_words() END AS r_visiting,
        CASE WHEN supervision_raw IS NOT NULL AND supervision_code IS NULL THEN 'supervision_grade is not a grade; use ' || grade_words() END AS r_supervision,
        CASE WHEN child_voice_raw IS NOT NULL AND child_voice IS NULL THEN 'child_voice_evident must be Y or N' END AS r_child_voice,
        CASE WHEN concern_raw IS NOT NULL AND concern IS NULL THEN 'immediate_concern must be Y or N' END AS r_concern,
        CASE WHEN reaudit_of = audit_id THEN 'reaudit_of is the audit''s own audit_id; an audit cannot re-audit itself, give the audit_id of the earlier audit' END AS r_reaudit_of
    FROM (
        SELECT s.*, t.known_team IS NOT NULL AS known_team, d.first_line
        FROM (
            SELECT line_no,
                   blank(audit_id) AS audit_id, blank(audit_id) AS key, blank(child_id) AS child_id_raw,
                   blank(team_id) AS team_id, blank(worker_id) AS worker_id, blank(auditor_id) AS auditor_id,
                   ty.trimmed AS audit_type_raw, ty.audit_type,
                   blank(audit_date) AS audit_date_raw, qa_date(audit_date) AS audit_dt,
                   o.trimmed AS overall_raw, o.grade AS overall_code,
                   m.trimmed AS moderated_raw, m.grade AS moderated_code,
                   blank(moderator_id) AS moderator_id,
                   blank(moderation_date) AS moderation_date_raw, qa_date(moderation_date) AS moderation_dt,
                   g1.trimmed AS chronology_raw, g1.grade AS chronology_code,
                   g2.trimmed AS assessment_raw, g2.grade AS assessment_code,
                   g3.trimmed AS plan_raw, g3.grade AS plan_code,
                   g4.trimmed AS visiting_raw, g4.grade AS visiting_code,
                   g5.trimmed AS supervision_raw, g5.grade AS supervision_code,
                   cv.trimmed AS child_voice_raw, cv.yes_no AS child_voice,
                   ic.trimmed AS concern_raw, ic.yes_no AS concern,
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
        ) s
        LEFT JOIN (SELECT team_id AS known_team FROM dim_team) t ON t.known_team = s.team_id
        LEFT JOIN dup d ON d.key = s.key
    ) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'audit_id', value: NULL::VARCHAR, reason: r_audit_id},
    {column_name: 'audit_id', value: audit_id, reason: r_duplicate},
    {column_name: 'child_id', value: NULL::VARCHAR, reason: r_child_id},
    {column_name: 'team_id', value: NULL::VARCHAR, reason: r_team_blank},
    {column_name: 'team_id', value: team_id, reason: r_team_unknown},
    {column_name: 'worker_id', value: NULL::VARCHAR, reason: r_worker_id},
    {column_name: 'auditor_id', value: NULL::VARCHAR, reason: r_auditor_id},
    {column_name: 'audit_type', value: audit_type_raw, reason: r_audit_type},
    {column_name: 'audit_date', value: NULL::VARCHAR, reason: r_audit_date_blank},
    {column_name: 'audit_date', value: audit_date_raw, reason: r_audit_date},
    {column_name: 'audit_date', value: audit_date_raw, reason: r_audit_date_future},
    {column_name: 'overall_grade', value: NULL::VARCHAR, reason: r_overall_blank},
    {column_name: 'overall_grade', value: overall_raw, reason: r_overall},
    {column_name: 'moderated_grade', value: moderated_raw, reason: r_moderated},
    {column_name: 'moderated_grade', value: NULL::VARCHAR, reason: r_moderated_blank},
    {column_name: 'moderation_date', value: moderation_date_raw, reason: r_moderation_date},
    {column_name: 'moderation_date', value: moderation_date_raw, reason: r_moderation_order},
    {column_name: 'chronology_grade', value: chronology_raw, reason: r_chronology},
    {column_name: 'assessment_grade', value: assessment_raw, reason: r_assessment},
    {column_name: 'plan_grade', value: plan_raw, reason: r_plan},
    {column_name: 'visiting_grade', value: visiting_raw, reason: r_visiting},
    {column_name: 'supervision_grade', value: supervision_raw, reason: r_supervision},
    {column_name: 'child_voice_evident', value: child_voice_raw, reason: r_child_voice},
    {column_name: 'immediate_concern', value: concern_raw, reason: r_concern},
    {column_name: 'reaudit_of', value: reaudit_of, reason: r_reaudit_of}] AS checks
FROM chk WHERE NOT ok;
