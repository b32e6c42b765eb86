-- Example 7: rows deduplicated by user and event time under a 5-second
-- watermark (the deduplication state is evicted as the watermark passes),
-- then counted by user.
-- sqlc run examples/sql/ex7.sql --available-now --var data=DIR
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE,
  event_time AS CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK user_counts WITH (format = 'memory', outputMode = 'complete')
AS SELECT User, count(*) AS count
   FROM (SELECT DISTINCT ON (User, event_time) * FROM activity)
   GROUP BY User;

SELECT * FROM user_counts;
