-- Example 5, by user: counts per 10-minute window and user.
-- sqlc run examples/sql/ex5_user.sql --available-now --var data=DIR
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE,
  event_time AS CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP)
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK window_user_counts WITH (format = 'memory', outputMode = 'complete')
AS SELECT window(event_time, '10 minutes') AS window, User, count(*) AS count
   FROM activity
   GROUP BY window(event_time, '10 minutes'), User;

SELECT * FROM window_user_counts;
