-- Decimal literals take just their digits; arithmetic follows Spark's
-- precision and scale rules (an integer literal beside a decimal too).
SELECT 1.5 AS a, typeof(1.5) AS ta, 123.450 AS b, typeof(123.450) AS tb,
       1.0 / 3 AS third, typeof(1.0 / 3) AS tthird, 1 / 3.0 AS third2,
       1.5 + 2 AS s, typeof(1.5 + 2) AS ts, 1.5 * 2.25 AS m, 10.0 / 4 AS d,
       2.0 - 3.5 AS n, CAST(5.5 AS DECIMAL(10,2)) % 3 AS r, typeof(CAST(5 AS DECIMAL(10,2)) % 3) AS tr,
       99999999999999999999 AS big, typeof(99999999999999999999) AS tbig,
       CAST(1 AS DECIMAL(10,2)) * CAST(2 AS DECIMAL(10,3)) AS p, typeof(CAST(1 AS DECIMAL(10,2)) * CAST(2 AS DECIMAL(10,3))) AS tp,
       CAST(1.5 AS DECIMAL(38,10)) * CAST(2 AS DECIMAL(38,10)) AS wide, typeof(CAST(1 AS DECIMAL(38,10)) / CAST(3 AS DECIMAL(38,10))) AS twide,
       CAST(99.99 AS DECIMAL(4,2)) + CAST(1 AS DECIMAL(38,37)) AS lossy, typeof(1.5 + 1L) AS tlong
