-- error: REMAINDER_BY_ZERO
SELECT CAST(Index AS FLOAT) % CAST(Index * 0 AS FLOAT) AS r FROM activity WHERE Index < 3
