-- Correlation inside a subquery's FROM items (derived tables naming the
-- outer query, Spark's DecorrelateInnerQuery through them): a scalar over
-- a correlated derived table (with its own LIMIT, aggregate, join,
-- non-equality), EXISTS and IN over one, and a block correlated on
-- another outer column over a correlated derived table.
SELECT a, c,
       (SELECT sum(b) FROM (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a)) AS total,
       (SELECT sum(b) FROM (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a ORDER BY b LIMIT 1)) AS least,
       (SELECT count(*) FROM (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k < t.a) s WHERE s.b > 6) AS below,
       (SELECT max(y) FROM (SELECT b + t.a AS y FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a)) AS shifted,
       (SELECT count(*) FROM (SELECT u.b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) JOIN VALUES (1, 100), (3, 300) AS w(k, b) ON u.k = w.k WHERE u.k = t.a)) AS joined,
       (SELECT count(*) FROM (SELECT count(b) m FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a) WHERE m = 0) AS none,
       (SELECT max(m) FROM (SELECT max(b) m FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a) s WHERE s.m IS NULL OR s.m > t.c * 5) AS over_c,
       EXISTS (SELECT * FROM (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a) WHERE b > 8) AS any_big
FROM VALUES (1, 2), (2, 2), (3, 1), (NULL, 1) AS t(a, c)
WHERE a * 10 IN (SELECT b FROM (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a)) OR a > 1 OR a IS NULL
