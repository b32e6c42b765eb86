SELECT gt IS NULL AS missing, coalesce(gt, 'none') AS g, count(*) AS n FROM activity GROUP BY gt IS NULL, coalesce(gt, 'none')
