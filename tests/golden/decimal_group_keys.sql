-- A decimal as a grouping key: equal values at one scale group together.
SELECT CAST(x AS DECIMAL(3,0)) AS k, count(*) AS n, sum(CAST(y AS DECIMAL(6,2))) AS s
FROM activity GROUP BY CAST(x AS DECIMAL(3,0))
