-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- months_between, make_timestamp, trunc of a timestamp and the seconds field on the session's wall clock (DST gaps and overlaps, LMT offsets with seconds).
SELECT Index,
       months_between(TIMESTAMP '2024-03-10 12:00:00', TIMESTAMP '2024-03-09 12:00:00') AS mb_dst,
       months_between(TIMESTAMP '2024-03-31 23:30:00', TIMESTAMP '2024-02-29 23:00:00') AS mb_last,
       months_between(timestamp_seconds(1717200000), DATE '2024-05-01') AS mb_wall,
       months_between(TIMESTAMP '2024-11-04 01:30:00', TIMESTAMP '2024-11-03 01:30:00', false) AS mb_fall,
       make_timestamp(2024, 3, 10, 2, 30, 0) AS mt_gap, make_timestamp(2024, 11, 3, 1, 30, 0) AS mt_overlap,
       make_timestamp(2024, 1, 1, 0, 0, 0, 'UTC') AS mt_utc, make_timestamp(1880, 1, 1, 0, 0, 0) AS mt_lmt,
       CAST(make_timestamp(2024, 3, 10, 2, 30, 0) AS STRING) AS mt_str,
       make_timestamp(2024, 7, 1, 12, 0, 0, CASE WHEN Index % 2 = 0 THEN 'Asia/Tokyo' ELSE '-03:00' END) AS mt_row_zone,
       trunc(timestamp_seconds(1717200000), 'MM') AS t_wall, trunc(TIMESTAMP '2024-06-01 03:00:00', 'MM') AS t_ts,
       date_part('SECOND', TIMESTAMP '2024-06-01 03:00:07.5') AS s1, date_part('SECOND', timestamp_seconds(-3000000000)) AS s_lmt,
       extract(SECOND FROM CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP)) AS s_event
FROM activity WHERE Index % 4999 = 0
