-- `nt2.*` after a NATURAL LEFT JOIN lists nt2's own key first.
SELECT nt2.* FROM VALUES (1, 2), (2, 3), (NULL, 4) nt1(k, a) NATURAL LEFT JOIN VALUES (1, 3), (4, 5), (NULL, 6) nt2(k, b)
