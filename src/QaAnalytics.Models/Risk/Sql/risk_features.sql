-- Team risk model: one row per team × financial quarter, from the first to the last quarter the
-- snapshot holds (audits or KPIs), with the model's features and its label. Runs as is in a
-- notebook or the DuckDB CLI once the four parameters are set:
--   $min_audits            the next two quarters pooled need at least this many original audits
--   $min_reference_audits  the team's usual level (this quarter and the three before, pooled) needs at least this many
--   $score_drop            the next two quarters' mean grade score is at least this much below the usual level (1-4 scale), or
--   $share_drop            their share Good or better is at least this much below the usual share (0.15 = 15 points)
-- The label compares pooled quarters, not one quarter with the next, so one lucky or unlucky
-- quarter of about ten audits does not make a "decline" by itself (docs/risk-model.md).
-- Grades are effective grades (moderated where moderated) of original audits: re-audits revisit
-- a known Inadequate case and are left out of the quality measures.
WITH bounds AS (
    SELECT least((SELECT min(period) FROM fact_kpi), (SELECT min(audit_date) FROM fact_audit)) AS first_day,
           greatest((SELECT max(period) + INTERVAL 1 MONTH - INTERVAL 1 DAY FROM fact_kpi), (SELECT max(audit_date) FROM fact_audit)) AS last_day
),
quarters AS (
    SELECT DISTINCT d.financial_quarter_start AS quarter_start, d.financial_quarter_label AS quarter_label
    FROM dim_date d, bounds b
    WHERE d.date_key BETWEEN b.first_day AND b.last_day
),
grid AS (
    SELECT t.team_id, t.la_code, t.service_area, t.team_name, q.quarter_start, q.quarter_label
    FROM dim_team t CROSS JOIN quarters q
),
audits AS (
    SELECT team_id, financial_quarter_start AS quarter_start,
           count(*) AS audits,
           count(*) FILTER (WHERE is_good_or_better) / count(*) AS good_or_better_share,
           avg(effective_score) AS mean_grade_score,
           sum(effective_score) AS score_sum,
           count(*) FILTER (WHERE is_good_or_better) AS good_count,
           count(*) FILTER (WHERE effective_grade = 4) AS inadequate_audits,
           count(*) FILTER (WHERE grade_change < 0) / NULLIF(count(*) FILTER (WHERE is_moderated), 0) AS downgrade_rate
    FROM v_audit
    WHERE audit_type <> 're-audit'
    GROUP BY ALL
),
workers AS (
    -- Team size: practitioners whose cases were audited (the extracts carry no staffing list).
    SELECT team_id, count(DISTINCT worker_id) AS workers FROM fact_audit GROUP BY ALL
),
returns AS (
    -- Only requests already due by the end of the data, so the last quarter is not read as a collapse.
    SELECT r.team_id, r.financial_quarter_start AS quarter_start,
           count(*) FILTER (WHERE r.returned_by_due) / count(*) AS return_rate
    FROM v_audit_request r, bounds b
    WHERE r.due_date <= b.last_day
    GROUP BY ALL
),
rates AS (
    SELECT team_id, financial_quarter_start AS quarter_start,
           max(rate) FILTER (WHERE kpi_code = 'VISITS_IN_TIMESCALE') AS visits_rate,
           max(rate) FILTER (WHERE kpi_code = 'SUPERVISION_IN_TIMESCALE') AS supervision_rate,
           max(rate) FILTER (WHERE kpi_code = 'CHRONOLOGY_UP_TO_DATE') AS chronology_rate,
           max(rate) FILTER (WHERE kpi_code = 'PLANS_REVIEWED_ON_TIME') AS plans_rate,
           max(rate) FILTER (WHERE kpi_code = 'ASSESSMENTS_45WD') AS assessments_rate,
           max(rate) FILTER (WHERE kpi_code = 'ICPC_15WD') AS icpc_rate,
           max(rate) FILTER (WHERE kpi_code = 'CONTACT_DECISION_1WD') AS contact_rate
    FROM v_kpi_rate_by_quarter
    GROUP BY ALL
),
workforce AS (
    SELECT team_id, financial_quarter_start AS quarter_start,
           avg(value) FILTER (WHERE kpi_code = 'CASELOAD') AS caseload,
           avg(value) FILTER (WHERE kpi_code = 'AGENCY_RATE') AS agency_rate
    FROM v_kpi
    WHERE kpi_code IN ('CASELOAD', 'AGENCY_RATE')
    GROUP BY ALL
),
complaints AS (
    SELECT team_id, financial_quarter_start AS quarter_start,
           count(*) FILTER (WHERE record_type = 'complaint') AS complaints,
           count(*) FILTER (WHERE record_type = 'complaint' AND stage = '1' AND responded_on_time)
               / NULLIF(count(responded_date) FILTER (WHERE record_type = 'complaint' AND stage = '1'), 0) AS stage1_on_time_rate
    FROM v_complaint
    WHERE team_id IS NOT NULL
    GROUP BY ALL
),
joined AS (
    SELECT g.*,
           coalesce(a.audits, 0) AS audits, a.good_or_better_share, a.mean_grade_score,
           coalesce(a.score_sum, 0) AS score_sum, coalesce(a.good_count, 0) AS good_count,
           coalesce(a.inadequate_audits, 0) AS inadequate_audits, a.downgrade_rate,
           r.return_rate,
           k.visits_rate, k.supervision_rate, k.chronology_rate, k.plans_rate, k.assessments_rate, k.icpc_rate, k.contact_rate,
           w.caseload, w.agency_rate,
           coalesce(c.complaints, 0) / NULLIF(ws.workers, 0) AS complaints_per_worker,
           c.stage1_on_time_rate
    FROM grid g
    LEFT JOIN audits a USING (team_id, quarter_start)
    LEFT JOIN returns r USING (team_id, quarter_start)
    LEFT JOIN rates k USING (team_id, quarter_start)
    LEFT JOIN workforce w USING (team_id, quarter_start)
    LEFT JOIN complaints c USING (team_id, quarter_start)
    LEFT JOIN workers ws USING (team_id)
),
lagged AS (
    SELECT *,
           dense_rank() OVER (ORDER BY quarter_start) - 1 AS quarter_index,
           good_or_better_share - lag(good_or_better_share, 1) OVER w AS good_or_better_change_1,
           good_or_better_share - lag(good_or_better_share, 2) OVER w AS good_or_better_change_2,
           mean_grade_score - lag(mean_grade_score, 1) OVER w AS mean_score_change_1,
           mean_grade_score - lag(mean_grade_score, 2) OVER w AS mean_score_change_2,
           mean_grade_score - avg(mean_grade_score) OVER year_before AS mean_score_vs_year,
           good_or_better_share - avg(good_or_better_share) OVER year_before AS good_or_better_vs_year,
           caseload - lag(caseload, 1) OVER w AS caseload_change_1,
           caseload - lag(caseload, 2) OVER w AS caseload_change_2,
           agency_rate - lag(agency_rate, 1) OVER w AS agency_rate_change_1,
           agency_rate - lag(agency_rate, 2) OVER w AS agency_rate_change_2,
           count(*) OVER usual AS usual_quarters,
           CAST(sum(audits) OVER usual AS BIGINT) AS usual_audits,
           sum(score_sum) OVER usual / NULLIF(sum(audits) OVER usual, 0) AS usual_mean_score,
           sum(good_count) OVER usual / NULLIF(sum(audits) OVER usual, 0) AS usual_good_share,
           count(*) OVER next_two AS next_quarters,
           CAST(sum(audits) OVER next_two AS BIGINT) AS next_audits,
           sum(score_sum) OVER next_two / NULLIF(sum(audits) OVER next_two, 0) AS next_mean_grade_score,
           sum(good_count) OVER next_two / NULLIF(sum(audits) OVER next_two, 0) AS next_good_or_better_share
    FROM joined
    WINDOW w AS (PARTITION BY team_id ORDER BY quarter_start),
           year_before AS (PARTITION BY team_id ORDER BY quarter_start ROWS BETWEEN 4 PRECEDING AND 1 PRECEDING),
           usual AS (PARTITION BY team_id ORDER BY quarter_start ROWS BETWEEN 3 PRECEDING AND CURRENT ROW),
           next_two AS (PARTITION BY team_id ORDER BY quarter_start ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING)
)
-- Every feature column computed above comes out as it is (the model's list of features is
-- TeamQuarter's, in C#: this file only computes them); only the working columns are left out.
SELECT * EXCLUDE (score_sum, good_count, usual_quarters, next_quarters, next_mean_grade_score, next_good_or_better_share),
       CASE WHEN usual_quarters = 4 AND next_quarters = 2
             AND usual_audits >= $min_reference_audits AND next_audits >= $min_audits
            THEN next_mean_grade_score - usual_mean_score <= -$score_drop
              OR next_good_or_better_share - usual_good_share <= -$share_drop
       END AS declined_next_quarter
FROM lagged
ORDER BY quarter_start, team_id;
