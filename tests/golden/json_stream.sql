-- stream: complete
-- JSON functions on a stream: the rows made JSON, read back by
-- get_json_object, from_json into a map and json_tuple.
SELECT g, model, t0, count(*) AS n
FROM (SELECT get_json_object(j, '$.gt') AS g, from_json(j, 'MAP<STRING, STRING>')['model'] AS model, j
      FROM (SELECT to_json(named_struct('gt', gt, 'model', Model)) AS j FROM activity))
LATERAL VIEW json_tuple(j, 'gt') t AS t0
GROUP BY g, model, t0
