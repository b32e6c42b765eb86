-- Correlated subqueries of several types (dates, strings, decimals),
-- correlated on two columns of a join's two sides, and on an OR that
-- matches NULL with NULL (planned per distinct outer value).
SELECT t.a, s.c,
       (SELECT max(d) FROM VALUES (DATE '2024-01-01', 1), (DATE '2024-02-01', 2) AS u(d, j) WHERE u.j <= t.a) AS m,
       (SELECT min(x) FROM VALUES ('b', 1), ('a', 2) AS u(x, j) WHERE u.j >= t.a) AS n,
       (SELECT sum(v) FROM VALUES (1.50, 1), (2.25, 2) AS u(v, j) WHERE u.j <= t.a) AS dd,
       (SELECT count(*) FROM VALUES (1, 'x'), (1, 'y'), (2, 'y') AS u(x, y) WHERE u.x = t.a AND u.y = s.c) AS n2,
       EXISTS (SELECT 1 FROM VALUES (1), (NULL) AS u(b) WHERE u.b = t.a OR u.b IS NULL AND t.a IS NULL) AS e
FROM VALUES (0), (1), (2), (3), (NULL) AS t(a) JOIN VALUES (0, 'x'), (1, 'y'), (2, 'y'), (3, 'z'), (NULL, 'w') AS s(a, c) ON t.a <=> s.a
WHERE EXISTS (SELECT 1 FROM VALUES ('x'), ('y'), ('w') AS u(c) WHERE u.c = s.c)
