-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- Casts between TIMESTAMP and TIMESTAMP_NTZ go through the session's wall clock; NTZ values never move with the zone.
SELECT CAST(CAST(TIMESTAMP_NTZ '2024-01-01 10:00:00' AS TIMESTAMP) AS STRING) AS to_ts,
       CAST(CAST(TIMESTAMP_NTZ '2024-01-01 10:00:00' AS TIMESTAMP) AS BIGINT) AS to_ts_secs,
       CAST(CAST(TIMESTAMP '2024-01-01 10:00:00' AS TIMESTAMP_NTZ) AS STRING) AS to_ntz,
       CAST(CAST(TIMESTAMP '2024-07-01 10:00:00' AS TIMESTAMP_NTZ) AS STRING) AS to_ntz_summer,
       CAST(TIMESTAMP_NTZ '2024-03-10 02:30:00' AS STRING) AS in_gap,
       CAST(CAST(TIMESTAMP_NTZ '2024-03-10 02:30:00' AS TIMESTAMP) AS STRING) AS gap_ts,
       CAST(TIMESTAMP_NTZ '2024-03-09 10:00:00' + INTERVAL 24 HOURS AS STRING) AS plus_day,
       CAST(TIMESTAMP_NTZ '2024-03-11 00:00:00' - TIMESTAMP_NTZ '2024-03-10 00:00:00' AS STRING) AS diff,
       typeof(localtimestamp()) AS tl,
       CAST(to_timestamp_ntz('2024-02-03 04:05:06') AS STRING) AS p
