-- VALUES widen decimal rows to one type; sum, avg, min, max of it.
SELECT x, count(*) AS n, sum(x) AS s, avg(x) AS a, typeof(avg(x)) AS ta
FROM VALUES (1.10), (1.1), (2.0), (NULL), (-0.25) AS t(x) GROUP BY x
