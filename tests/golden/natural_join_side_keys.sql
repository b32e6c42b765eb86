-- After a NATURAL LEFT JOIN, `nt2.k` is the right side's own key (NULL
-- where no row matched), beside `*`, as Spark resolves it.
SELECT *, nt2.k AS k2, nt1.k AS k1 FROM VALUES (1, 2), (2, 3), (NULL, 4) nt1(k, a) NATURAL LEFT JOIN VALUES (1, 3), (4, 5), (NULL, 6) nt2(k, b)
