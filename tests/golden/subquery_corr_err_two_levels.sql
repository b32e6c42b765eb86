-- error: UNRESOLVED_COLUMN
-- Spark resolves outer references one level up only.
SELECT a FROM VALUES (1), (2) AS t(a)
WHERE EXISTS (SELECT 1 FROM VALUES (1), (2) AS u(b) WHERE u.b = t.a AND EXISTS (SELECT 1 FROM VALUES (2) AS w(c) WHERE w.c = t.a))
