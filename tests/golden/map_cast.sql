-- Casts of maps: between map types, and to strings as Spark 4 prints them
-- (nested in arrays and maps too; NULL values as null).
SELECT CAST(map('a', 1, 'b', NULL) AS STRING) AS s1,
  CAST(map(1, 1.5D, 2, NULL) AS STRING) AS s2,
  CAST(map('a', map('x', 1.5D)) AS STRING) AS s3,
  CAST(array(map('a', 1), NULL) AS STRING) AS s4,
  CAST(map('k', array(1, NULL)) AS STRING) AS s5,
  CAST(CAST(map('a', '1') AS MAP<STRING, INT>) AS STRING) AS s6,
  CAST(map() AS STRING) AS s7,
  typeof(CAST(map('a', 1) AS MAP<STRING, BIGINT>)) AS t1,
  typeof(map(1, array('x'))) AS t2,
  typeof(map()) AS t3
