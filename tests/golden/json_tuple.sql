-- json_tuple: a row of strings per input, nulls for missing fields and
-- bad JSON, nested values as JSON text.
SELECT j, c0, c1, c2
FROM (SELECT '{"a":1,"b":"x","c":{"d":2}}' AS j UNION ALL SELECT 'bad' UNION ALL SELECT NULL
  UNION ALL SELECT '{"a":null,"b":[1, 2],"c":1.50}' UNION ALL SELECT '{"ü":"é"}')
LATERAL VIEW json_tuple(j, 'a', 'b', 'c') t AS c0, c1, c2
ORDER BY j
