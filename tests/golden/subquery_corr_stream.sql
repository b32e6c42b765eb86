-- stream: append
-- On a stream, correlated subqueries over static data whose outer
-- references are WHERE equalities: a stream-static semi, anti or outer join.
SELECT Index, gt,
       (SELECT label FROM VALUES ('bike', 'moving'), ('walk', 'moving'), ('sit', 'still') AS l(g, label) WHERE l.g = a.gt) AS label
FROM activity a
WHERE EXISTS (SELECT 1 FROM VALUES ('bike'), ('walk'), ('sit'), ('stand') AS s(g) WHERE s.g = a.gt)
  AND a.User NOT IN (SELECT u FROM VALUES ('a', 'walk'), ('b', 'walk'), ('c', 'bike') AS v(u, g) WHERE v.g = a.gt)
  AND Index % 50 = 0
