-- conf: spark.sql.session.timeZone=+05:30
-- A fixed offset with half an hour: fields, truncation, text.
SELECT Index, CAST(t AS STRING) AS s, hour(t) AS h, minute(t) AS mi,
       date_trunc('HOUR', t) AS th, date_trunc('DAY', t) AS td,
       date_format(t, 'yyyy-MM-dd HH:mm XXX') AS f, CAST(t AS DATE) AS d
FROM (SELECT Index, timestamp_millis(Arrival_Time + Index * 1234567) AS t FROM activity)
WHERE Index % 50 = 0
ORDER BY Index
