-- One fact table for the Parquet export, with the two partition keys added: the team's council
-- and the financial year of the fact's date ("2024-25": a "/" would be a folder in a Hive path).
-- {table} and {date_column} come from a fixed list in ParquetExport, never from input.
SELECT f.*, t.la_code, replace(d.financial_year, '/', '-') AS financial_year
FROM {table} f
LEFT JOIN dim_team t USING (team_id)
JOIN dim_date d ON d.date_key = f.{date_column}
