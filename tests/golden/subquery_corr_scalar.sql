-- Correlated scalar subqueries without an aggregate (one row or none per
-- outer row), in the select list and in WHERE, and GROUP BY a correlated
-- column.
SELECT a, b,
       (SELECT c FROM VALUES (1, 'x'), (5, 'y') AS u(k, c) WHERE u.k = t.a) AS c,
       (SELECT DISTINCT k * 10 FROM VALUES (1), (1), (5) AS u(k) WHERE u.k = t.a) AS d,
       (SELECT max(k) FROM VALUES (1), (5) AS u(k) WHERE u.k = t.a GROUP BY k) AS g
FROM VALUES (1, 10), (2, 20), (5, 50) AS t(a, b)
WHERE b > (SELECT avg(c) * 10 FROM VALUES (1, 1), (1, 3), (5, 1), (5, 2) AS v(k, c) WHERE v.k = t.a)
   OR a = 2
