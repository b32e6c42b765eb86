-- sum and avg of decimals are exact, typed DECIMAL(p+10, s) and
-- DECIMAL(p+4, s+4); min, max, count, first and grouping by a decimal.
SELECT gt, sum(CAST(x AS DECIMAL(10,4))) AS s, typeof(sum(CAST(x AS DECIMAL(10,4)))) AS ts,
       avg(CAST(x AS DECIMAL(10,4))) AS a, typeof(avg(CAST(x AS DECIMAL(10,4)))) AS ta,
       min(CAST(y AS DECIMAL(8,3))) AS mn, max(CAST(y AS DECIMAL(8,3))) AS mx,
       count(CAST(z AS DECIMAL(8,3))) AS c, count(DISTINCT CAST(z AS DECIMAL(3,1))) AS cd,
       stddev(CAST(x AS DECIMAL(10,4))) AS sd
FROM activity GROUP BY gt
