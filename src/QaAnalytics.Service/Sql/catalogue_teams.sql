-- Teams with their council and service area, and the months each has data for.
SELECT t.la_code, t.service_area, t.team_id, t.team_name, t.parent_team_id,
       (SELECT count(*) FROM fact_audit a WHERE a.team_id = t.team_id) AS audits,
       (SELECT min(period) FROM fact_kpi k WHERE k.team_id = t.team_id) AS first_kpi_month,
       (SELECT max(period) FROM fact_kpi k WHERE k.team_id = t.team_id) AS last_kpi_month
FROM dim_team t
ORDER BY t.la_code, t.service_area, t.team_id;
