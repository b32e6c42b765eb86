-- Example 4: the cube of example 3 joined with the static table's averages
-- per (gt, model). The equi-join drops the cube's rows with null keys.
CREATE SOURCE activity (
  Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT,
  Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE
) WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);

-- Static: the schema is inferred.
CREATE TABLE history WITH (format = 'json', path = '${data}');

CREATE VIEW history_avg AS
SELECT gt, model, avg(Arrival_Time), avg(Creation_Time), avg(Index),
       avg(x), avg(y), avg(z)
FROM history
GROUP BY gt, model;

CREATE VIEW cube AS
SELECT gt, model, avg(x), avg(y), avg(z)
FROM activity
GROUP BY CUBE(gt, model);

CREATE SINK cube_join WITH (format = 'memory', outputMode = 'complete')
AS SELECT * FROM cube JOIN history_avg USING (gt, model);

SELECT * FROM cube_join ORDER BY gt, model;
