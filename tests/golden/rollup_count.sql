SELECT gt, model, count(*) AS n FROM activity GROUP BY ROLLUP(gt, model)
