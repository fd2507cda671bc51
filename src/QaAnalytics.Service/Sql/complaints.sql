-- Complaints by stage, compliments and MP enquiries per organisation unit and the period the
-- record was received; stage 1 and 2 responses made and those within the statutory working days.
-- A record with no team belongs to no service area or team: it counts at council level only
-- ({attributed} drops it below that), in the council of the snapshot when the snapshot holds one
-- council, else under a null la_code.
-- {org}, {period} and {attributed} are chosen by the service from fixed lists; {scope} is built
-- from parameter placeholders only.
WITH c AS (
    SELECT * REPLACE (coalesce(la_code, (SELECT min(la_code) FROM dim_team HAVING count(DISTINCT la_code) = 1)) AS la_code)
    FROM v_complaint
)
SELECT {org}, {period} AS period,
       count(*) FILTER (WHERE record_type = 'complaint') AS complaints,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = '1') AS stage_1,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = '2') AS stage_2,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = '3') AS stage_3,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = 'LGSCO') AS stage_lgsco,
       count(*) FILTER (WHERE record_type = 'compliment') AS compliments,
       count(*) FILTER (WHERE record_type = 'mp_enquiry') AS mp_enquiries,
       count(responded_date) FILTER (WHERE record_type = 'complaint' AND stage = '1') AS stage_1_responded,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = '1' AND responded_on_time) AS stage_1_on_time,
       count(responded_date) FILTER (WHERE record_type = 'complaint' AND stage = '2') AS stage_2_responded,
       count(*) FILTER (WHERE record_type = 'complaint' AND stage = '2' AND responded_on_time) AS stage_2_on_time
FROM c
WHERE received_date >= $from AND received_date < $to + INTERVAL 1 MONTH {attributed} {scope}
GROUP BY ALL
ORDER BY ALL;
