-- stream: append
-- A correlated count(*) on a stream: grouped by the correlated column and
-- left outer joined; rows without a match (a NULL gt too) count 0.
SELECT Index, gt,
       (SELECT count(*) FROM VALUES ('bike'), ('bike'), ('sit') AS v(g) WHERE v.g = a.gt) AS n,
       (SELECT max(w) FROM VALUES ('bike', 3), ('sit', 1) AS v(g, w) WHERE v.g = a.gt) AS w
FROM activity a
WHERE Index % 100 = 0
