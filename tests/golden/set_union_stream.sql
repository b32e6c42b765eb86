-- stream: complete
-- A union of two filtered reads of the stream, aggregated.
SELECT gt, count(*) AS n
FROM (SELECT gt FROM activity WHERE x > 0 UNION ALL SELECT gt FROM activity WHERE y > 0)
GROUP BY gt
