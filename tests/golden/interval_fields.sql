-- extract / date_part of interval fields (signed as the interval), and abs of intervals.
SELECT extract(DAY FROM INTERVAL '1 02:03:04.5' DAY TO SECOND) AS d,
       extract(HOUR FROM INTERVAL '1 02:03:04.5' DAY TO SECOND) AS h,
       extract(MINUTE FROM INTERVAL '1 02:03:04.5' DAY TO SECOND) AS mi,
       extract(SECOND FROM INTERVAL '1 02:03:04.5' DAY TO SECOND) AS s,
       extract(DAY FROM INTERVAL '-1 02:03:04.5' DAY TO SECOND) AS nd,
       extract(SECOND FROM INTERVAL '-1 02:03:04.5' DAY TO SECOND) AS ns,
       extract(YEAR FROM INTERVAL '-1-2' YEAR TO MONTH) AS ny,
       extract(MONTH FROM INTERVAL '-1-2' YEAR TO MONTH) AS nm,
       date_part('HOUR', INTERVAL '1 02:03:04.5' DAY TO SECOND) AS dph,
       datepart('MONTH', INTERVAL '14' MONTH) AS dpm,
       date_part('SECONDS', INTERVAL '70.25' SECOND) AS dps,
       CAST(abs(INTERVAL '-1' DAY) AS STRING) AS ad, CAST(abs(INTERVAL '-1' MONTH) AS STRING) AS am,
       CAST(abs(INTERVAL '-1 02:03' DAY TO MINUTE) AS STRING) AS adm
