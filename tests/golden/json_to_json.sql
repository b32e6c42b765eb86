-- to_json of structs (null fields left out), arrays and maps (nulls
-- written), nested, with doubles, timestamps, dates and escapes.
SELECT to_json(map('a', 1, 'b', NULL)) AS j1, to_json(array(1, NULL)) AS j2,
  to_json(named_struct('a', 1, 'b', NULL, 'c', array(map('x', 1.5D)))) AS j3,
  to_json(array(named_struct('a', 1))) AS j4, to_json(map(1, 'x')) AS j5,
  to_json(map('t', TIMESTAMP '2024-01-01 00:00:00')) AS j6,
  to_json(named_struct('d', DATE '2024-01-02', 's', 'é"\n')) AS j7,
  to_json(named_struct('a', 1.0D, 'b', 1e20, 'c', 1e-5)) AS j8,
  to_json(array(array(1))) AS j9, to_json(map('a', map('b', 1))) AS j10,
  to_json(CAST(NULL AS MAP<STRING, INT>)) AS j11, to_json(map()) AS j12
