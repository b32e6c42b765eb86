-- A FULL USING join: the shown key is coalesced, each side's key is its own.
SELECT nt2.k AS k2, nt1.k AS k1, k FROM VALUES (1, 2), (2, 3), (NULL, 4) nt1(k, a) FULL JOIN VALUES (1, 3), (4, 5), (NULL, 6) nt2(k, b) USING (k)
