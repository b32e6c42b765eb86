-- Scalar subqueries in the select list and in WHERE: one value joined on.
SELECT gt, count(*) AS n
FROM activity
WHERE x > (SELECT avg(x) FROM activity) AND Model = (SELECT max(Model) FROM activity)
GROUP BY gt
