-- Correlation inside a subquery's set operations: each operand that names
-- the outer query runs per outer value, the others are crossed with the
-- outer values (Spark's DecorrelateInnerQuery over Union, Intersect, Except).
SELECT a,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a AND b > 25 UNION SELECT b FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a) AS one,
       (SELECT count(*) FROM (SELECT k FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a UNION SELECT k FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a)) AS keys,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a UNION ALL SELECT b FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a ORDER BY b DESC LIMIT 1) AS top
FROM VALUES (1), (2), (3), (NULL) AS t(a)
WHERE a * 100 IN (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a UNION SELECT b FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a) OR a = 2 OR a IS NULL
