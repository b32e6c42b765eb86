-- Maps built by every constructor and read by every accessor, with NULL
-- values, NULL maps, empty maps and unicode keys.
SELECT id, m, CAST(m AS STRING) AS s, m['a'] AS a, m['ü'] AS u, element_at(m, 'b') AS b,
  try_element_at(m, 'zz') AS zz, size(m) AS n, cardinality(m) AS c, map_keys(m) AS k,
  map_values(m) AS v, map_contains_key(m, 'a') AS has_a, CAST(map_entries(m) AS STRING) AS e,
  typeof(m) AS t
FROM (
  SELECT 1 AS id, map('a', 1, 'b', NULL) AS m
  UNION ALL SELECT 2, map()
  UNION ALL SELECT 3, CAST(NULL AS MAP<STRING, INT>)
  UNION ALL SELECT 4, map('ü', 7, 'a', 2)
  UNION ALL SELECT 5, map_from_arrays(array('b', 'a'), array(10, NULL))
  UNION ALL SELECT 6, map_from_entries(array(struct('x', 1), struct('a', 3)))
  UNION ALL SELECT 7, map_from_entries(array(struct('x', 1), NULL))
  UNION ALL SELECT 8, map_concat(map('a', 1), map('b', 2), map('ü', 3))
  UNION ALL SELECT 9, map_concat(map('a', 1), CAST(NULL AS MAP<STRING, INT>))
  UNION ALL SELECT 10, CAST(str_to_map('a:1,b:2,ü:3') AS MAP<STRING, INT>)
)
ORDER BY id
