-- Timestamps plus and minus intervals.
SELECT Index,
       CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) + INTERVAL 90 MINUTES AS later,
       CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) - INTERVAL '1' DAY AS day_before
FROM activity
WHERE Index < 3
ORDER BY Index, later
