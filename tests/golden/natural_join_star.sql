-- After a NATURAL join, `nt1.*` includes the join column.
SELECT nt1.* FROM VALUES (1, 'x'), (2, 'y') AS nt1(k, v) NATURAL JOIN VALUES (1, 'p'), (3, 'q') AS nt2(k, w)
