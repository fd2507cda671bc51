INSERT INTO dim_kpi (kpi_code, kpi_name, unit, polarity, statutory_timescale, theme, target, description, source)
SELECT kpi_code, kpi_name, unit, polarity, statutory_timescale, theme, target, description, 'kpi_definitions.csv' FROM good;
