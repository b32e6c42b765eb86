-- Aggregates with FILTER (WHERE …): over the rows the condition keeps.
SELECT gt, count(*) FILTER (WHERE x > 0) AS pos, sum(Index) FILTER (WHERE Model = 'nexus4') AS s,
       avg(y) FILTER (WHERE z < 0) AS a, count(*) AS n
FROM activity GROUP BY gt
