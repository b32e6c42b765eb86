-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- stream: complete
-- Day windows start at midnight UTC whatever the session's zone; their
-- bounds print on the Los Angeles wall clock.
SELECT date_format(w.start, 'yyyy-MM-dd HH:mm XXX') AS s, CAST(w.end AS STRING) AS e, c
FROM (SELECT window(timestamp_millis(Arrival_Time + Index * 1800000), '1 day') AS w, count(*) AS c
      FROM activity
      GROUP BY window(timestamp_millis(Arrival_Time + Index * 1800000), '1 day'))
