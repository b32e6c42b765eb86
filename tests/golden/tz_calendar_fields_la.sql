-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- Calendar fields, casts, truncation and formatting on the Los Angeles
-- wall clock, over 14 months of half-hour steps (two DST changes each way).
SELECT Index, CAST(t AS STRING) AS s, CAST(t AS DATE) AS d, year(t) AS y, month(t) AS mo,
       day(t) AS dd, hour(t) AS h, minute(t) AS mi, second(t) AS sec,
       date_trunc('DAY', t) AS td, date_trunc('HOUR', t) AS th, date_trunc('MONTH', t) AS tm,
       date_format(t, 'yyyy-MM-dd HH:mm:ss z XXX') AS f, dayofweek(t) AS w,
       unix_timestamp(date_format(t, 'yyyy-MM-dd HH:mm:ss')) AS u, t + INTERVAL 1 DAY AS nd
FROM (SELECT Index, timestamp_millis(Arrival_Time + Index * 1800000) AS t FROM activity)
WHERE Index % 7 = 0
ORDER BY Index
