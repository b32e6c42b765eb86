-- Correlated [NOT] EXISTS: equality and non-equality predicates, NULL
-- outer values (never equal, but <=> matches them), outer references in
-- the subquery's select list, a global aggregate (always one row).
SELECT 'eq' AS k, a FROM VALUES (1), (2), (NULL) AS t(a) WHERE EXISTS (SELECT 1 FROM VALUES (1), (3) AS u(b) WHERE u.b = t.a)
UNION ALL
SELECT 'not eq', a FROM VALUES (1), (2), (NULL) AS t(a) WHERE NOT EXISTS (SELECT 1 FROM VALUES (1), (3) AS u(b) WHERE u.b = t.a)
UNION ALL
SELECT 'lt', a FROM VALUES (1), (2), (3) AS t(a) WHERE EXISTS (SELECT 1 FROM VALUES (1), (2) AS u(b) WHERE u.b < t.a AND u.b <> 2)
UNION ALL
SELECT 'not lt', a FROM VALUES (1), (2), (3) AS t(a) WHERE NOT EXISTS (SELECT 1 FROM VALUES (1), (2) AS u(b) WHERE u.b < t.a)
UNION ALL
SELECT 'null-safe', a FROM VALUES (1), (2), (NULL) AS t(a) WHERE EXISTS (SELECT 1 FROM VALUES (1), (NULL) AS u(b) WHERE u.b <=> t.a)
UNION ALL
SELECT 'outer in select', a FROM VALUES (1), (2) AS t(a) WHERE EXISTS (SELECT t.a + b FROM VALUES (1) AS u(b) WHERE b = a)
UNION ALL
SELECT 'aggregate', a FROM VALUES (1), (2) AS t(a) WHERE EXISTS (SELECT max(b) FROM VALUES (1) AS u(b) WHERE u.b > t.a)
UNION ALL
SELECT 'limit', a FROM VALUES (1), (2) AS t(a) WHERE EXISTS (SELECT 1 FROM VALUES (1), (1) AS u(b) WHERE u.b = t.a LIMIT 1)
