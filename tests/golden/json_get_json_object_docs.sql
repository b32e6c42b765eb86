-- get_json_object over documents: arrays at the top, malformed text,
-- trailing text after the value, duplicate names (the first wins).
SELECT j, get_json_object(j, '$.a') AS a, get_json_object(j, '$[*].a') AS all_a
FROM (SELECT '[{"a":1},{"a":2}]' AS j UNION ALL SELECT 'bad' UNION ALL SELECT '{"a":1}x'
  UNION ALL SELECT '{"a":1,"a":2}' UNION ALL SELECT '{"a":"x\\ny"}' UNION ALL SELECT NULL
  UNION ALL SELECT '{"a":["x","y"]}' UNION ALL SELECT '')
ORDER BY j
