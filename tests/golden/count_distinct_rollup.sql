SELECT gt, model, grouping_id() AS gid, count(DISTINCT User) AS users, sum(DISTINCT Index % 7) AS s, avg(DISTINCT Index % 5) AS a FROM activity GROUP BY ROLLUP(gt, model)
