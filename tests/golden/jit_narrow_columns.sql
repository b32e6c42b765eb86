-- TINYINT and SMALLINT columns computed by compiled kernels: arithmetic at
-- the width, remainder, negation, abs, comparisons, casts to and from
-- them, a filter on them; then as grouping keys and aggregate arguments.
SELECT b, count(*) AS n, sum(s) AS ss, min(b2) AS mn, max(s - 1S) AS mx, avg(b) AS av,
       sum(CAST(s AS INT) + b) AS w, max(CAST(b AS STRING)) AS bs, min(-s) AS neg,
       max(abs(b)) AS ab, sum(CAST(s % 7S AS BIGINT)) AS rem, count_if(b < s) AS lt,
       max(CAST(s * 2S AS DOUBLE)) AS dbl, min(CAST(Index % 300 AS SMALLINT)) AS c16
FROM (SELECT Index, CAST(Index % 200 - 100 AS TINYINT) AS b,
             CAST(Index % 20 - 10 AS TINYINT) * 3Y AS b2,
             CAST(Index % 30000 - 15000 AS SMALLINT) AS s
      FROM activity)
WHERE b % 10Y <> 0Y
GROUP BY b
ORDER BY b
