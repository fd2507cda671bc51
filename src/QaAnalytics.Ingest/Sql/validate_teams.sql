-- teams.csv (or an SSD ssd_department extract mapped onto the same columns).
-- chk: one typed row per staged row; bad: one row per problem (line, column, value, reason).
-- A blank service area is the parent team's name (D2I's SSD extract leaves dept_team_parent_name
-- NULL for some case-management systems but keeps dept_team_parent_id): the parent's row in this
-- file, else the parent loaded earlier. In an SSD extract, a team with neither is loaded under the
-- service area 'Unassigned' (service_area_source says which, for the load report).
CREATE OR REPLACE TEMP TABLE chk AS
SELECT c.*,
       coalesce(c.service_area_given, p.parent_name, CASE WHEN getvariable('ssd_extract') THEN 'Unassigned' END) AS service_area,
       CASE WHEN c.service_area_given IS NOT NULL THEN 'given' WHEN p.parent_name IS NOT NULL THEN 'parent'
            WHEN getvariable('ssd_extract') THEN 'unassigned' END AS service_area_source
FROM (
    SELECT line_no,
           blank(team_id) AS team_id, blank(la_code) AS la_code, blank(team_name) AS team_name,
           blank(service_area) AS service_area_given, blank(parent_team_id) AS parent_team_id,
           blank(team_id) AS key
    FROM src
) c
LEFT JOIN (
    SELECT team_id, arg_min(team_name, line_no) AS parent_name
    FROM (SELECT line_no, blank(team_id) AS team_id, blank(team_name) AS team_name FROM src)
    WHERE team_id IS NOT NULL AND team_name IS NOT NULL GROUP BY team_id
    UNION ALL
    SELECT team_id, team_name FROM dim_team
    WHERE team_id NOT IN (SELECT blank(team_id) FROM src WHERE blank(team_id) IS NOT NULL AND blank(team_name) IS NOT NULL)
) p ON p.team_id = c.parent_team_id AND c.parent_team_id <> c.team_id;

CREATE OR REPLACE TEMP TABLE bad AS
SELECT line_no, 'team_id' AS column_name, CAST(NULL AS VARCHAR) AS value,
       'team_id is blank; every team needs the id that audits and KPIs refer to' AS reason FROM chk WHERE team_id IS NULL
UNION ALL SELECT line_no, 'team_id', team_id, 'team_id ' || team_id || ' already appears on line ' || d.first_line || '; team ids must be unique, only the first is loaded' FROM chk JOIN (SELECT key, min(line_no) AS first_line FROM chk WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d USING (key) WHERE line_no > d.first_line
UNION ALL SELECT line_no, 'la_code', NULL, 'la_code is blank; give the council''s DfE local authority code (or pass --la-code)' FROM chk WHERE la_code IS NULL
UNION ALL SELECT line_no, 'team_name', NULL, 'team_name is blank; give the team''s name' FROM chk WHERE team_name IS NULL
UNION ALL SELECT line_no, 'service_area', NULL, 'service_area is blank and the team has no parent team with a name; give the service area, e.g. Assessment or Children in Care' FROM chk WHERE service_area IS NULL
UNION ALL SELECT line_no, 'parent_team_id', parent_team_id, 'parent_team_id is the team''s own team_id; a team cannot be its own parent, leave it blank or give the parent team' FROM chk WHERE parent_team_id = team_id;
