-- teams.csv (or an SSD ssd_department extract mapped onto the same columns).
CREATE OR REPLACE TEMP TABLE chk AS
WITH s AS (
    SELECT line_no,
           blank(team_id) AS team_id, blank(la_code) AS la_code, blank(team_name) AS team_name,
           blank(service_area) AS service_area, blank(parent_team_id) AS parent_team_id,
           row_number() OVER (PARTITION BY blank(team_id) ORDER BY line_no) AS dup_rank,
           min(line_no) OVER (PARTITION BY blank(team_id)) AS first_line
    FROM src
)
SELECT s.*, team_id AS key,
    list_filter([
        need('team_id', team_id, 'every team needs the id that audits and KPIs refer to'),
        CASE WHEN team_id IS NOT NULL AND dup_rank > 1 THEN err('team_id', team_id,
            'team_id ' || team_id || ' already appears on line ' || first_line || '; team ids must be unique, only the first is loaded') END,
        need('la_code', la_code, 'give the council''s DfE local authority code (or pass --la-code)'),
        need('team_name', team_name, 'give the team''s name'),
        need('service_area', service_area, 'give the service area, e.g. Assessment or Children in Care'),
        CASE WHEN parent_team_id = team_id THEN err('parent_team_id', parent_team_id, 'a team cannot be its own parent') END
    ], e -> e IS NOT NULL) AS errors
FROM s;
