-- The risk model's flags in the snapshot (table risk_flags, written by `qa-ingest model score`),
-- for the financial quarters overlapping the month range, highest probability first within a
-- quarter. drivers_pressure / drivers_history: the reasons from the pressure, compliance and
-- complaints signals and from the grade history, '; ' between them. {scope} and {bands} are built
-- from parameter placeholders only.
SELECT la_code, service_area, team_id, team_name, quarter AS period, probability, band,
       reason_1, reason_2, reason_3, reason_features,
       array_to_string(drivers_pressure, '; ') AS drivers_pressure, array_to_string(drivers_history, '; ') AS drivers_history,
       audits, in_training_window,
       model_version, scored_snapshot_id, run_id
FROM risk_flags
WHERE quarter_start <= $to AND quarter_start + INTERVAL 2 MONTH >= $from {scope} {bands}
ORDER BY quarter_start, probability DESC, team_id;
