-- A join whose condition goes beyond equalities: rows of the same device
-- and activity within two seconds after each other.
WITH t AS (
  SELECT Device, gt, Index, CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS ts
  FROM activity WHERE Index < 60
)
SELECT a.gt, count(*) AS pairs, min(b.Index - a.Index) AS min_gap
FROM t a JOIN t b
  ON a.Device = b.Device AND a.gt = b.gt
 AND b.ts BETWEEN a.ts AND a.ts + INTERVAL 2 SECONDS
 AND a.Index <> b.Index
GROUP BY a.gt
