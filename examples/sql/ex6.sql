-- Example 6: sliding 10-minute windows every 5 minutes under a 30-minute
-- watermark. In append mode each window comes out once, when the watermark
-- passes its end; rows behind the watermark are dropped — here they are
-- kept in the table `late_rows` instead (lateRowsTable, beyond Spark).
-- sqlc run examples/sql/ex6.sql --available-now --var data=DIR
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE,
  event_time AS CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP),
  WATERMARK FOR event_time AS event_time - INTERVAL '30' MINUTE
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK sliding_counts
WITH (format = 'memory', outputMode = 'append', lateRowsTable = 'late_rows')
AS SELECT window, count(*) AS count FROM activity
   GROUP BY window(event_time, '10 minutes', '5 minutes');

SELECT * FROM sliding_counts;
