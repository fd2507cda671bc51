INSERT INTO dim_team (team_id, la_code, team_name, service_area, parent_team_id, run_id)
SELECT team_id, la_code, team_name, service_area, parent_team_id, $run_id FROM good;
