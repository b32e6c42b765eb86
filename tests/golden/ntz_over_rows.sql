-- conf: spark.sql.session.timeZone=Asia/Tokyo
-- Per-row conversion of event times to wall-clock NTZ values, grouped by the wall-clock hour.
SELECT CAST(date_trunc('HOUR', CAST(CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS TIMESTAMP_NTZ)) AS STRING) AS hour,
       count(*) AS n,
       CAST(max(CAST(CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS TIMESTAMP_NTZ)) AS STRING) AS latest
FROM activity
GROUP BY 1
