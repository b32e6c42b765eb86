-- Sliding windows with a start offset over a computed event time, by gt.
SELECT window, gt, count(*) AS n, max(x) AS max_x
FROM (SELECT *, CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS event_time
      FROM activity)
GROUP BY window(event_time, '2 minutes', '1 minute', '15 seconds'), gt
