-- Intervals computed per row by compiled kernels: interval times and
-- divided by numbers (HALF_UP), ± intervals, dates and TIMESTAMP_NTZ
-- shifted by them (month ends clamped), date differences, comparisons.
-- (Year-month results are shown as the dates they shift, as PySpark cannot
-- collect them.)
SELECT Index,
       INTERVAL '1' DAY * Index AS d,
       DATE '2000-01-31' + INTERVAL '1-2' YEAR TO MONTH * Index AS ym,
       INTERVAL '10' HOUR / (Index + 1) AS h,
       DATE '2000-01-31' + INTERVAL '1' MONTH * (Index * 0.5D) AS half_months,
       INTERVAL '1' SECOND * (Index * 1.5BD) AS secs,
       DATE '2000-01-31' + INTERVAL '7' MONTH / (Index - 2.5BD) AS dm,
       INTERVAL '1' DAY * Index + INTERVAL '3' HOUR AS dh,
       DATE '2000-01-31' + (INTERVAL '1' YEAR - INTERVAL '1' MONTH * Index) AS ym2,
       DATE '2000-01-31' - INTERVAL '1' MONTH * Index AS ym_neg,
       -(INTERVAL '1' DAY * Index) AS neg,
       abs(INTERVAL '-1' HOUR * Index) AS ab,
       DATE '2024-01-31' + INTERVAL '1' MONTH * Index AS date_months,
       DATE '2024-02-28' + CAST(INTERVAL '1' DAY * Index AS INTERVAL DAY) AS date_days,
       DATE '2024-03-01' - (DATE '2024-01-01' + CAST(INTERVAL '1' DAY * Index AS INTERVAL DAY)) AS date_diff,
       TIMESTAMP_NTZ '2024-01-31 10:00:00' + INTERVAL '1' MONTH * Index AS ntz_months,
       TIMESTAMP_NTZ '2024-01-01 23:30:00' + INTERVAL '90' MINUTE * Index AS ntz_plus,
       TIMESTAMP_NTZ '2024-01-01 23:30:00' + INTERVAL '90' MINUTE * Index - TIMESTAMP_NTZ '2024-01-01 00:00:00' AS ntz_diff,
       INTERVAL '1' DAY * Index > INTERVAL '36' HOUR AS gt,
       INTERVAL '1' MONTH * Index = INTERVAL '1' YEAR AS eq_year
FROM activity WHERE Index < 14 ORDER BY Index
