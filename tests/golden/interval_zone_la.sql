-- conf: spark.sql.session.timeZone=America/Los_Angeles
-- Months added on the session's wall clock (across a DST change), day-time intervals as microseconds.
SELECT TIMESTAMP '2024-02-10 10:00:00' + INTERVAL '1' MONTH AS m,
       TIMESTAMP '2024-03-09 10:00:00' + INTERVAL '1' DAY AS d,
       TIMESTAMP '2024-03-09 10:00:00' + INTERVAL 24 HOURS AS h,
       CAST(TIMESTAMP '2024-03-11 00:00:00' - TIMESTAMP '2024-03-10 00:00:00' AS STRING) AS diff,
       DATE '2024-03-10' + INTERVAL '1 02' DAY TO HOUR AS dt,
       CAST(TIMESTAMP '2024-03-11 00:00:00' - DATE '2024-03-10' AS STRING) AS tdiff,
       TIMESTAMP '2024-03-09 10:00:00' + make_dt_interval(1) AS nd,
       TIMESTAMP '2024-02-10 10:00:00' + make_ym_interval(0, 1) AS nm
