-- explode (not outer) of an empty or null array gives no row; outer one.
SELECT id, v FROM VALUES (1, 2), (2, 0), (3, NULL) AS t(id, n)
LATERAL VIEW OUTER explode(sequence(1, n)) x AS v
