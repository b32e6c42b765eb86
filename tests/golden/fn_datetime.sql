-- Date and time functions in UTC: calendars, patterns, epochs.
SELECT Index, Device,
       date_add(DATE '2024-02-28', 1) AS da, date_sub(DATE '2024-03-01', 1) AS ds, datediff(DATE '2024-03-01', DATE '2023-03-01') AS dd,
       add_months(DATE '2024-01-31', 1) AS am, add_months(DATE '2023-03-31', -13) AS am2, last_day(DATE '2023-02-10') AS ld,
       next_day(DATE '2024-03-05', 'Tue') AS nd, next_day(DATE '2024-03-05', 'friday') AS nd2,
       dayofweek(DATE '2024-03-05') AS dw, dayofyear(DATE '2024-12-31') AS dy, weekofyear(DATE '2021-01-03') AS wy, quarter(DATE '2024-08-01') AS q,
       make_date(2024, 2, 29) AS md,
       date_format(TIMESTAMP '2024-03-05 14:07:09.123456', 'yyyy-MM-dd HH:mm:ss.SSS') AS df1,
       date_format(TIMESTAMP '2024-03-05 14:07:09', 'EEE, MMM d yy hh:mm a') AS df2,
       date_format(TIMESTAMP '2024-03-05 14:07:09', 'EEEE MMMM D') AS df3,
       to_date('2024-03-05') AS td, to_date('05/03/2024', 'dd/MM/yyyy') AS td2,
       unix_timestamp(TIMESTAMP '2024-03-05 14:07:09') AS ut, unix_timestamp('2024-03-05 00:00:00') AS ut2,
       unix_timestamp('20240305', 'yyyyMMdd') AS ut3, from_unixtime(0) AS fu, from_unixtime(1709647629, 'yyyy/MM/dd HH:mm') AS fu2,
       unix_seconds(TIMESTAMP '2024-03-05 14:07:09') AS us, unix_millis(TIMESTAMP '1969-12-31 23:59:59.999') AS um,
       unix_micros(TIMESTAMP '2024-03-05 14:07:09.5') AS umi, timestamp_seconds(1709647629) AS tsec,
       timestamp_millis(-1) AS tms, timestamp_micros(1) AS tmu,
       date_format(CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP), 'yyyy-MM-dd HH:mm') AS event_minute,
       dayofweek(CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP)) AS event_dow
FROM activity WHERE Index % 4999 = 0
