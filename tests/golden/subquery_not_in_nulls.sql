-- NOT IN is null-aware: a null in the subquery leaves no row; an empty
-- subquery keeps every row, a null value too.
SELECT 'with null' AS k, a FROM VALUES (1), (2), (NULL) AS t(a) WHERE a NOT IN (SELECT b FROM VALUES (1), (NULL) AS s(b))
UNION ALL
SELECT 'without', a FROM VALUES (1), (2), (NULL) AS t(a) WHERE a NOT IN (SELECT b FROM VALUES (1), (3) AS s(b))
UNION ALL
SELECT 'empty', a FROM VALUES (1), (NULL) AS t(a) WHERE a NOT IN (SELECT b FROM VALUES (1) AS s(b) WHERE b > 5)
