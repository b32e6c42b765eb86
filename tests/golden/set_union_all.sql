-- UNION ALL keeps every row of both sides: counted by gt.
SELECT gt, count(*) AS n
FROM (SELECT gt FROM activity WHERE x > 0 UNION ALL SELECT gt FROM activity WHERE y > 0)
GROUP BY gt
