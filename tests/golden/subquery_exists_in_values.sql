-- EXISTS and IN as values in a select list (Spark's existence join):
-- IN is true, false or NULL (a NULL value, or a NULL in a non-empty
-- subquery, and no match); correlated and not.
SELECT a,
       EXISTS (SELECT 1 FROM VALUES (1), (3) AS u(b) WHERE u.b = t.a) AS e,
       NOT EXISTS (SELECT 1 FROM VALUES (1), (2) AS u(b) WHERE u.b < t.a) AS ne,
       EXISTS (SELECT 1 FROM VALUES (1) AS u(b) WHERE b > 5) AS e_empty,
       a IN (SELECT b FROM VALUES (1), (NULL) AS u(b)) AS i_null,
       a IN (SELECT b FROM VALUES (2), (3) AS u(b)) AS i,
       a NOT IN (SELECT b FROM VALUES (1), (3) AS u(b) WHERE u.b >= t.a) AS ni,
       a IN (SELECT b FROM VALUES (1, 1), (NULL, 2), (3, 3) AS u(b, k) WHERE u.k = t.a) AS ci,
       a IN (SELECT b FROM VALUES (2) AS u(b) WHERE b > 5) AS i_empty
FROM VALUES (1), (2), (3), (NULL) AS t(a)
