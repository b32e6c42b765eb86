-- explode, explode_outer and posexplode of maps: key and value columns,
-- entries in the map's order.
SELECT id, pos, key, value
FROM (SELECT 1 AS id, map('b', 1, 'a', NULL) AS m UNION ALL SELECT 2, map()
      UNION ALL SELECT 3, CAST(NULL AS MAP<STRING, INT>) UNION ALL SELECT 4, map('ü', 4))
LATERAL VIEW OUTER posexplode(m) t AS pos, key, value
ORDER BY id, pos
