SELECT gt, count(*) AS count FROM activity GROUP BY gt
