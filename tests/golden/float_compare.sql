-- Comparing a FLOAT: as a DOUBLE beside any other number (1.1F is not
-- 1.1D), IN lists, BETWEEN, CASE and COALESCE types.
SELECT 1.0F = 1.0D AS a, 1.1F = 1.1D AS b, 1.1F = CAST(1.1F AS DOUBLE) AS c, 1 = 1.0F AS d,
       1.5F IN (1.5, 2) AS e, 1.1F IN (1.1D) AS f, 1.1F BETWEEN 1 AND 2 AS g,
       2.5F > 2.25F AS h, typeof(coalesce(1, 1.0F)) AS i, typeof(coalesce(1.0F, 2.0F)) AS j,
       typeof(CASE WHEN true THEN 1.0F ELSE 1.5BD END) AS k, round(1.25F, 1) AS l,
       typeof(round(1.25F, 1)) AS m, floor(1.5F) AS n, typeof(ceil(1.5F)) AS o
