-- get_json_object: fields, indexes, wildcards, strings unquoted, nulls,
-- malformed JSON and paths, unicode and escapes.
SELECT p, get_json_object('{"a":{"b":[1,2,{"c":"x"}]},"d":1.50,"e":null,"f":true,"g":"ü\u00e9","h":[[1,2],[3]],"i":[{"b":1},{"c":2}],"k":1e20,"a b":5}', p) AS v
FROM (SELECT '$.a' AS p UNION ALL SELECT '$.a.b' UNION ALL SELECT '$.a.b[2].c' UNION ALL SELECT '$.a.b[*]'
  UNION ALL SELECT '$.d' UNION ALL SELECT '$.e' UNION ALL SELECT '$.f' UNION ALL SELECT '$.zz'
  UNION ALL SELECT '$' UNION ALL SELECT 'a' UNION ALL SELECT '$[0]' UNION ALL SELECT '$.a.b[5]'
  UNION ALL SELECT NULL UNION ALL SELECT '$.a[''b'']' UNION ALL SELECT '$..a' UNION ALL SELECT '$.g'
  UNION ALL SELECT '$.h[*][0]' UNION ALL SELECT '$.i[*].b' UNION ALL SELECT '$.k' UNION ALL SELECT '$.a b'
  UNION ALL SELECT '$.d ')
ORDER BY p
