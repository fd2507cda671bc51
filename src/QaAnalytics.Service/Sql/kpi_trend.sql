-- KPI figures per organisation unit, period and KPI. Rate KPIs sum numerators and denominators
-- over the teams and months of the row (the rate is worked out from the sums, never by averaging
-- rates); single-figure KPIs (count, percent) average the monthly team values, n of them.
-- {org}, {period} and {kpis} are chosen by the service ({kpis} from parameter placeholders only);
-- {scope} is built from parameter placeholders only.
SELECT {org}, {period} AS period, kpi_code, kpi_name, unit, polarity, target,
       count(*) AS n,
       CAST(sum(numerator) AS BIGINT) AS numerator,
       CAST(sum(denominator) AS BIGINT) AS denominator,
       avg(value) AS mean_value
FROM v_kpi
WHERE period >= $from AND period <= $to {scope} {kpis}
GROUP BY ALL
ORDER BY ALL;
