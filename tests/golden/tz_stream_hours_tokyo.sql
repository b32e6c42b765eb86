-- conf: spark.sql.session.timeZone=Asia/Tokyo
-- stream: complete
SELECT hour(timestamp_millis(Arrival_Time + Index * 1800000)) AS h, count(*) AS c
FROM activity
GROUP BY 1
