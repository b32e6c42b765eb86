-- LIMIT and OFFSET in correlated subqueries other than EXISTS: planned per
-- outer value after the subquery's ORDER BY (Spark's DecorrelateInnerQuery
-- makes them a row_number() per outer value), NULL outer values included.
SELECT a,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b LIMIT 1) AS lo,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b DESC NULLS LAST LIMIT 1) AS hi,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k < t.a ORDER BY b LIMIT 1) AS below,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b LIMIT 1 OFFSET 1) AS second,
       (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY k + b LIMIT 1) AS hidden_key,
       a * 10 IN (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b LIMIT 1) AS in_first,
       EXISTS (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b LIMIT 1 OFFSET 1) AS has_second
FROM VALUES (1), (2), (3), (NULL) AS t(a)
WHERE a * 10 NOT IN (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, 10), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b DESC LIMIT 1)
   OR a IS NULL
