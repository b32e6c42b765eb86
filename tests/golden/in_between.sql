SELECT model, count(*) AS n FROM activity WHERE model IN ('nexus4', 's3') AND x BETWEEN -1 AND 1 GROUP BY model
