-- round, ceil, floor, abs and negation keep decimals exact; greatest,
-- coalesce, CASE and array widen to Spark's wider decimal.
SELECT 1.5 = 1.50 AS eq, 1.5 < 2 AS lt, CAST(1 AS DECIMAL(3,0)) = 1.0D AS eqd,
       round(2.345, 2) AS r2, typeof(round(2.345, 2)) AS tr2, round(2.5) AS r0, round(-2.5) AS rn,
       ceil(2.1) AS c, typeof(ceil(2.1)) AS tc, floor(-2.1) AS f, abs(-1.50) AS ab, -(1.5) AS neg,
       greatest(1.5, 2) AS g, typeof(greatest(1.5, 2)) AS tg, coalesce(NULL, 1.5, 2) AS co,
       typeof(coalesce(1.5, 2L)) AS tco, CASE WHEN Index > 0 THEN 1.5 ELSE 2.25 END AS cs,
       array(1.5, 2) AS arr, typeof(array(1.5, 2)) AS tarr
FROM activity WHERE Index = 3
