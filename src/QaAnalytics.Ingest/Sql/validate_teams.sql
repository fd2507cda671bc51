-- teams.csv (or an SSD ssd_department extract mapped onto the same columns).
-- chk: typed rows, one reason column per check and ok; problems: the failed checks of each row that failed one.
-- A blank service area is the parent team's name (D2I's SSD extract leaves dept_team_parent_name
-- NULL for some case-management systems but keeps dept_team_parent_id): the parent's row in this
-- file, else the parent loaded earlier. In an SSD extract, a team with neither is loaded under the
-- service area 'Unassigned' (service_area_source says which, for the load report).
CREATE OR REPLACE TEMP VIEW teams_typed AS
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

CREATE OR REPLACE TEMP TABLE dup AS
SELECT key, min(line_no) AS first_line FROM teams_typed WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW chk AS
SELECT *, coalesce(r_team_id, r_duplicate, r_la_code, r_team_name, r_service_area, r_parent) IS NULL AS ok
FROM (
    SELECT c.*,
        CASE WHEN team_id IS NULL THEN 'team_id is blank; every team needs the id that audits and KPIs refer to' END AS r_team_id,
        CASE WHEN line_no > first_line THEN 'team_id ' || team_id || ' already appears on line ' || first_line || '; team ids must be unique, only the first is loaded' END AS r_duplicate,
        CASE WHEN la_code IS NULL THEN 'la_code is blank; give the council''s DfE local authority code (or pass --la-code)' END AS r_la_code,
        CASE WHEN team_name IS NULL THEN 'team_name is blank; give the team''s name' END AS r_team_name,
        CASE WHEN service_area IS NULL THEN 'service_area is blank and the team has no parent team with a name; give the service area, e.g. Assessment or Children in Care' END AS r_service_area,
        CASE WHEN parent_team_id = team_id THEN 'parent_team_id is the team''s own team_id; a team cannot be its own parent, leave it blank or give the parent team' END AS r_parent
    FROM (SELECT t.*, d.first_line FROM teams_typed t LEFT JOIN dup d ON d.key = t.key) c
);

-- Each failed row's checks as (column, value, reason); the loader keeps those with a reason.
CREATE OR REPLACE TEMP VIEW problems AS
SELECT line_no, [
    {column_name: 'team_id', value: NULL::VARCHAR, reason: r_team_id},
    {column_name: 'team_id', value: team_id, reason: r_duplicate},
    {column_name: 'la_code', value: NULL::VARCHAR, reason: r_la_code},
    {column_name: 'team_name', value: NULL::VARCHAR, reason: r_team_name},
    {column_name: 'service_area', value: NULL::VARCHAR, reason: r_service_area},
    {column_name: 'parent_team_id', value: parent_team_id, reason: r_parent}] AS checks
FROM chk WHERE NOT ok;
