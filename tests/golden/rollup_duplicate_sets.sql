-- ROLLUP(a, b, (a, b)) lists (a, b) twice.
SELECT a, b, count(*) AS n FROM VALUES (1, 1), (1, 2), (2, 1) AS t(a, b) GROUP BY ROLLUP(a, b, (a, b))
