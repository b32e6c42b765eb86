-- Correlated scalar subqueries with aggregates, Spark's "count bug": an
-- outer row with no matching rows gets the aggregate over no rows
-- (count 0, max NULL), through expressions and HAVING.
SELECT a,
       (SELECT count(*) FROM VALUES (1), (5), (5) AS u(b) WHERE u.b = t.a) AS n,
       (SELECT count(*) + 1 FROM VALUES (1), (5) AS u(b) WHERE u.b > t.a) AS n1,
       (SELECT count(b) FROM VALUES (1), (NULL) AS u(b) WHERE u.b <=> t.a) AS nb,
       (SELECT max(b) FROM VALUES (1), (5) AS u(b) WHERE u.b >= t.a) AS mx,
       (SELECT coalesce(sum(b), -1) FROM VALUES (1), (5) AS u(b) WHERE u.b > t.a) AS s,
       (SELECT count(*) FROM VALUES (1), (5) AS u(b) WHERE u.b > t.a HAVING count(*) < t.a) AS h,
       (SELECT count(DISTINCT b) FROM VALUES (1), (5), (5) AS u(b) WHERE u.b > t.a) AS d
FROM VALUES (0), (1), (4), (5), (9), (NULL) AS t(a)
