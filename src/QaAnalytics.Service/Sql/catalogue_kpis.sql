-- The KPI catalogue: each KPI with its unit, polarity, target and the Focus 5 theme it pairs with.
SELECT kpi_code, kpi_name, unit, polarity, statutory_timescale, theme, target, description, source
FROM dim_kpi ORDER BY kpi_code;
