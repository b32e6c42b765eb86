SELECT a.gt, a.n, b.m FROM (SELECT gt, count(*) AS n FROM activity GROUP BY gt) a JOIN (SELECT gt, max(x) AS m FROM activity GROUP BY gt) b ON a.gt = b.gt
