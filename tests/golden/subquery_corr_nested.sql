-- Two levels: each subquery names the block right around it (Spark 4
-- resolves outer references one level up).
SELECT a FROM VALUES (1), (2), (3) AS t(a)
WHERE EXISTS (
  SELECT 1 FROM VALUES (1), (2), (3) AS u(b)
  WHERE u.b = t.a
    AND u.b IN (SELECT c FROM VALUES (2), (3) AS w(c) WHERE w.c = u.b)
    AND NOT EXISTS (SELECT 1 FROM VALUES (3) AS x(d) WHERE x.d = u.b))
