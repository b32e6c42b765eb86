-- sum(DISTINCT) and avg(DISTINCT) of decimals: exact, at Spark's sum and
-- avg types, NULLs skipped, per group and over an empty group.
SELECT gt, sum(DISTINCT CAST(z AS DECIMAL(3, 1))) AS s,
       avg(DISTINCT CAST(z AS DECIMAL(3, 1))) AS a,
       typeof(sum(DISTINCT CAST(z AS DECIMAL(3, 1)))) AS ts,
       typeof(avg(DISTINCT CAST(z AS DECIMAL(3, 1)))) AS ta,
       sum(DISTINCT CASE WHEN Index < 0 THEN 1.5 END) AS none,
       count(DISTINCT CAST(z AS DECIMAL(3, 1))) AS c
FROM activity GROUP BY gt
