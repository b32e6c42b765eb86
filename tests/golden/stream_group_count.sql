-- stream: complete
-- The seed's example 1 in SQL over the stream: counts by gt, independent
-- of step size and partition count.
SELECT gt, count(*) AS n FROM activity GROUP BY gt
