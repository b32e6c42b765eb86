-- Subqueries beside aggregates: in an aggregating select list (one value
-- per group), inside an aggregate call, and in HAVING — uncorrelated, and
-- in HAVING correlated on a grouping column.
SELECT gt, count(*) AS n,
       (SELECT max(Index) FROM activity) AS top,
       sum(CASE WHEN x > (SELECT avg(x) FROM activity) THEN 1 ELSE 0 END) AS above,
       EXISTS (SELECT 1 FROM VALUES ('bike') AS b(g)) AS any_bike
FROM activity a
GROUP BY gt
HAVING count(*) > (SELECT count(*) / 10 FROM activity)
   AND max(Index) >= (SELECT min(c.Index) FROM activity c WHERE c.gt = a.gt)
