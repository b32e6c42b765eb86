-- stream: complete
-- TINYINT and SMALLINT values and keys in streaming state: a narrow key,
-- sums (BIGINT), min/max (their own type) and arithmetic at the width.
SELECT CAST(Index % 7 AS TINYINT) AS k, sum(CAST(Index % 100 AS TINYINT)) AS s,
       min(CAST(Index % 1000 AS SMALLINT)) AS mn, max(CAST(Index % 1000 AS SMALLINT) - 1S) AS mx,
       max(CAST(Index % 50 AS TINYINT) + CAST(Index % 50 AS TINYINT)) AS dbl, count(*) AS n
FROM activity GROUP BY CAST(Index % 7 AS TINYINT)
