-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- Timestamps inside arrays, maps and structs print on the session's wall
-- clock too (casts to STRING, to_json), from_json reads them there; TIMESTAMP
-- literals may name a zone.
SELECT Index,
       CAST(array(t, t + INTERVAL 200 DAYS) AS STRING) AS a,
       CAST(named_struct('t', t, 'm', map('k', t)) AS STRING) AS s,
       to_json(named_struct('t', t, 'l', array(t + INTERVAL 200 DAYS))) AS j,
       CAST(TIMESTAMP '2024-01-01 10:00:00 Europe/Paris' AS STRING) AS p,
       CAST(TIMESTAMP '2024-07-01 10:00:00 Asia/Tokyo' AS STRING) AS k,
       from_json(concat('{"t":"', CAST(t + INTERVAL 150 DAYS AS STRING), '"}'), 't TIMESTAMP').t AS fj,
       CAST(from_json('{"t":"2024-07-01T10:00:00Z"}', 't TIMESTAMP').t AS STRING) AS fz
FROM (SELECT Index, timestamp_millis(Arrival_Time + Index * 1234567) AS t FROM activity)
WHERE Index % 97 = 0
ORDER BY Index
