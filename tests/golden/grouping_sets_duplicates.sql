-- A grouping set listed twice gives its rows twice, as in Spark.
SELECT gt, Model, count(*) AS n FROM activity
GROUP BY gt, GROUPING SETS((gt, Model), (gt), ())
