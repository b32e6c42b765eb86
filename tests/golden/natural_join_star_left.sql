-- `nt1.*` after a NATURAL RIGHT JOIN lists nt1's own key (NULL where
-- unmatched), under a WHERE naming the other side's key.
SELECT nt1.* FROM VALUES (1, 2), (2, 3), (NULL, 4) nt1(k, a) NATURAL RIGHT JOIN VALUES (1, 3), (4, 5), (NULL, 6) nt2(k, b) WHERE nt1.k IS NULL OR nt2.k > 0
