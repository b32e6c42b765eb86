-- from_json into structs (PERMISSIVE: a malformed record is a struct of
-- nulls, fields that converted kept), arrays and maps (malformed: NULL).
SELECT id, s.a AS sa, s.b AS sb, CAST(l AS STRING) AS l, CAST(m AS STRING) AS m, CAST(ls AS STRING) AS ls
FROM (
  SELECT id, from_json(j, 'a INT, b STRING') AS s, from_json(j, 'ARRAY<INT>') AS l,
    from_json(j, 'MAP<STRING, INT>') AS m, from_json(j, 'ARRAY<STRUCT<a: INT>>') AS ls
  FROM (SELECT 1 AS id, '{"a":1,"b":"x"}' AS j UNION ALL SELECT 2, 'bad' UNION ALL SELECT 3, NULL
    UNION ALL SELECT 4, '{"a":"notint","b":"y"}' UNION ALL SELECT 5, '[{"a":5}]'
    UNION ALL SELECT 6, '{"a":1}{' UNION ALL SELECT 7, '[1,2,null]' UNION ALL SELECT 8, '{"a":1,"b":null}'
    UNION ALL SELECT 9, '{}' UNION ALL SELECT 10, '[]' UNION ALL SELECT 11, '3'
    UNION ALL SELECT 12, '{"a":12345678901,"b":true}' UNION ALL SELECT 13, '{"b":{"ü":[1]}}')
)
ORDER BY id
