-- A date plus a whole number of days is a date; plus hours, a timestamp.
SELECT DATE '2024-02-28' + INTERVAL '2' DAY AS d, typeof(DATE '2024-02-28' + INTERVAL '2' DAY) AS td,
       DATE '2024-02-28' - INTERVAL '1' DAY AS e,
       DATE '2024-02-28' + INTERVAL '3' HOUR AS h, typeof(DATE '2024-02-28' + INTERVAL '3' HOUR) AS th
