-- Correlated EXISTS over a subquery's set operations (see subquery_corr_union).
SELECT a,
       EXISTS (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a AND b > 25 UNION SELECT b FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a) AS e_union,
       EXISTS (SELECT k FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a INTERSECT SELECT k FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a) AS e_intersect,
       EXISTS (SELECT k FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a EXCEPT SELECT k FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE w.k = t.a) AS e_except,
       EXISTS (SELECT b FROM VALUES (1, 10), (1, 20), (2, 30), (2, 5), (3, NULL), (NULL, 7) AS u(k, b) WHERE u.k = t.a UNION ALL SELECT b FROM VALUES (1, 100), (3, 300) AS w(k, b) WHERE b > 250) AS e_uncorrelated
FROM VALUES (1), (2), (3), (NULL) AS t(a)
