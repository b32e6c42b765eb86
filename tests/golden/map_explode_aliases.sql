-- A map's explode with its columns named: AS (k, v), and in LATERAL VIEW.
SELECT id, k, v FROM (SELECT 1 AS id, map('a', 1, 'b', NULL) AS m UNION ALL SELECT 2, map('ü', 3))
LATERAL VIEW explode(m) t AS k, v
UNION ALL
SELECT 0, k, v FROM (SELECT explode(map('x', 9)) AS (k, v))
ORDER BY id, k
