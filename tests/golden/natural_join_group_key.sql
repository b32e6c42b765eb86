-- Grouping by a hidden join key.
SELECT nt2.k AS k2, count(*) AS c, sum(a) AS sa FROM VALUES (1, 2), (2, 3), (NULL, 4) nt1(k, a) NATURAL FULL JOIN VALUES (1, 3), (4, 5), (NULL, 6) nt2(k, b) GROUP BY nt2.k
