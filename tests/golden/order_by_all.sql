-- ORDER BY ALL: every output column, left to right.
SELECT gt, Model, count(*) AS n FROM activity WHERE Index < 2000 GROUP BY gt, Model ORDER BY ALL DESC
