-- Example 2: the stairs rows, appended as they arrive. Columns are named as
-- the query writes them (`model`, though the data says `Model`), as Spark does.
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE VIEW stairs AS
SELECT gt, model, arrival_time, creation_time
FROM activity
WHERE gt LIKE '%stairs%' AND gt IS NOT NULL;

CREATE SINK stairs_rows WITH (format = 'memory', outputMode = 'append')
AS SELECT * FROM stairs;

SELECT * FROM stairs_rows;
