-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- Wall-clock times that do not exist or happen twice, interval arithmetic
-- across a DST change, patterns with offsets and zone names.
SELECT CAST('2024-03-10 02:30:00' AS TIMESTAMP) AS gap,
       CAST('2024-11-03 01:30:00' AS TIMESTAMP) AS fold,
       CAST('2024-11-03 01:30:00-08:00' AS TIMESTAMP) AS fold_pst,
       date_trunc('HOUR', TIMESTAMP '2024-11-03 01:30:00-08:00') AS trunc_pst,
       unix_timestamp(date_trunc('HOUR', TIMESTAMP '2024-11-03 01:30:00-08:00')) AS trunc_pst_s,
       TIMESTAMP '2024-03-09 12:00:00' + INTERVAL 1 DAY AS plus_day,
       TIMESTAMP '2024-03-09 12:00:00' + INTERVAL 24 HOURS AS plus_24h,
       CAST(TIMESTAMP '2024-03-10 03:00:00' AS STRING) AS s,
       CAST(DATE '2024-03-10' AS TIMESTAMP) AS midnight,
       from_utc_timestamp(TIMESTAMP '2024-01-01 00:00:00', 'Asia/Tokyo') AS f_tokyo,
       to_utc_timestamp(TIMESTAMP '2024-01-01 00:00:00', 'Asia/Kolkata') AS t_kolkata,
       to_timestamp('2024-01-15 23:30 +0100', 'yyyy-MM-dd HH:mm Z') AS parsed_offset,
       to_timestamp('15/01/2024 23:30', 'dd/MM/yyyy HH:mm') AS parsed_local,
       from_unixtime(0) AS epoch,
       unix_timestamp('2024-01-01 00:00:00') AS ux,
       date_format(TIMESTAMP '2024-07-15 10:00:00', 'z XXX O') AS zone_text,
       CAST('2024-01-01 10:00:00 Europe/Paris' AS TIMESTAMP) AS paris,
       to_date('2024-01-15 23:30:00') AS d
