-- Semantic source "complaint": complaints, compliments and MP enquiries. A record with no team
-- belongs to no service area or team: it counts at council level only, in its la_code (given at
-- load); one loaded before la_code was recorded counts in the council of the snapshot when the
-- snapshot holds one council, else under a null la_code.
SELECT * REPLACE (coalesce(la_code, (SELECT min(la_code) FROM dim_team HAVING count(DISTINCT la_code) = 1)) AS la_code)
FROM v_complaint
