-- Example 5: event-time windows. Activity counts per 10-minute window, and
-- per window and user, as complete-mode memory tables.
-- sqlc run examples/sql/ex5.sql --available-now --var data=DIR
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE,
  event_time AS CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP)
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK window_counts WITH (format = 'memory', outputMode = 'complete')
AS SELECT window, count(*) AS count FROM activity
   GROUP BY window(event_time, '10 minutes');

SELECT * FROM window_counts;
