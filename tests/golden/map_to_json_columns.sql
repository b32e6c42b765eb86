-- Maps of the table's columns to JSON and back.
SELECT j, get_json_object(j, '$.gt') AS gt, from_json(j, 'MAP<STRING, STRING>')['model'] AS model,
  count(*) AS rows_
FROM (SELECT to_json(map('gt', gt, 'model', Model)) AS j FROM activity)
GROUP BY j
