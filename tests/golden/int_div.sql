-- Spark's `div`: integral division truncated toward zero, a BIGINT for
-- every integral width and for decimals (whose quotient past 64 bits keeps
-- its low 64 bits, as Java's longValue); NULLs, strings read as BIGINT,
-- and the minimum divided by 3. Over the table, compiled.
SELECT Index, Index div 7 AS q, -Index div 7 AS nq, Index div -7 AS qn,
       Arrival_Time div 1000 AS secs, typeof(Index div 7) AS t,
       CAST(x * 1000 AS DECIMAL(12, 3)) div 1.5 AS dq,
       CASE WHEN Index % 2 = 0 THEN NULL ELSE Index END div 3 AS nullable_q
FROM activity WHERE Index % 997 = 0
