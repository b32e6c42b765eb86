-- Example 3: average acceleration per (gt, model) cube, complete mode.
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

CREATE SINK cube WITH (format = 'memory', outputMode = 'complete')
AS SELECT gt, model, avg(x), avg(y), avg(z)
FROM activity
GROUP BY CUBE(gt, model);

SELECT * FROM cube ORDER BY gt, model;
