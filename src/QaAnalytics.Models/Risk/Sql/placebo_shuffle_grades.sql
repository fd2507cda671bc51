-- Placebo (a) of the risk model: every audit's grades (the overall grade and the five theme
-- grades, as one set) moved at random to another audit, and moderation dropped, so the grades carry
-- no signal while KPIs, caseloads and complaints are untouched. Run only on a private copy of a
-- snapshot (qa-ingest model placebo makes one). $seed fixes the shuffle: hash() is deterministic.
CREATE OR REPLACE TEMP TABLE placebo_grades AS
WITH slots AS (
    SELECT rowid AS slot_row, row_number() OVER (ORDER BY rowid) AS k FROM fact_audit
),
drawn AS (
    SELECT overall_grade, chronology_grade, assessment_grade, plan_grade, visiting_grade, supervision_grade,
           row_number() OVER (ORDER BY hash(rowid, $seed), rowid) AS k
    FROM fact_audit
)
SELECT s.slot_row, d.* EXCLUDE (k) FROM slots s JOIN drawn d USING (k);

UPDATE fact_audit f
SET overall_grade = p.overall_grade,
    chronology_grade = p.chronology_grade, assessment_grade = p.assessment_grade, plan_grade = p.plan_grade,
    visiting_grade = p.visiting_grade, supervision_grade = p.supervision_grade,
    moderated_grade = NULL, moderator_id = NULL, moderation_date = NULL, is_moderated = false, grade_change = NULL,
    effective_grade = p.overall_grade,
    overall_score = 5 - p.overall_grade, effective_score = 5 - p.overall_grade,
    is_good_or_better = p.overall_grade <= 2
FROM placebo_grades p
WHERE f.rowid = p.slot_row;
