SELECT (SELECT max(Index) FROM activity) AS top, (SELECT min(a) FROM VALUES (3), (2) AS t(a)) + 1 AS low,
       (SELECT a FROM VALUES (1) AS t(a) WHERE a > 5) AS none
