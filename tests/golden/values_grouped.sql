SELECT k, count(*) AS n, sum(v) AS s FROM VALUES ('a', 1), ('b', 2), ('a', 3), (NULL, 4) AS t(k, v) GROUP BY k ORDER BY k
