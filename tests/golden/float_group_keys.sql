-- Grouping by a FLOAT key (printed as a FLOAT).
SELECT CAST(round(z) AS FLOAT) AS k, count(*) AS c FROM activity GROUP BY CAST(round(z) AS FLOAT)
