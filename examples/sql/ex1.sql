-- Example 1: activity counts by gt, as a complete-mode memory table.
-- sqlc run examples/sql/ex1.sql --available-now --var data=DIR
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK activity_counts WITH (format = 'memory', outputMode = 'complete')
AS SELECT gt, count(*) AS count FROM activity GROUP BY gt;

SELECT * FROM activity_counts ORDER BY gt;
