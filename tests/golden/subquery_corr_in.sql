-- Correlated IN and NOT IN: NOT IN is null-aware per outer row — a NULL
-- in the subquery's rows for that row leaves it out, an empty subquery
-- keeps it (a NULL value too), a NULL correlation value finds no rows.
SELECT 'in' AS k, a, c FROM VALUES (1, 1), (2, 5), (NULL, 1), (3, NULL), (2, 2) AS t(a, c)
WHERE a IN (SELECT b FROM VALUES (1, 1), (2, 2), (3, NULL) AS u(b, k) WHERE u.k = t.c)
UNION ALL
SELECT 'not in', a, c FROM VALUES (1, 1), (2, 5), (NULL, 1), (3, NULL), (4, 2), (5, 3), (NULL, 5) AS t(a, c)
WHERE a NOT IN (SELECT b FROM VALUES (1, 1), (2, 2), (NULL, 3) AS u(b, k) WHERE u.k = t.c)
UNION ALL
SELECT 'not in, range', a, c FROM VALUES (1, 1), (2, 2), (3, 3), (NULL, 9) AS t(a, c)
WHERE a NOT IN (SELECT b FROM VALUES (1, 1), (2, 2), (NULL, 3) AS u(b, k) WHERE u.k >= t.c)
UNION ALL
SELECT 'in aggregate', a, c FROM VALUES (1, 0), (2, 0), (2, 3) AS t(a, c)
WHERE a IN (SELECT max(b) FROM VALUES (1), (2) AS u(b) WHERE u.b > t.c)
