-- error: INTERVAL_ARITHMETIC_OVERFLOW
-- An average of year-month intervals sums them in an int first, as Spark.
SELECT avg(a) FROM VALUES (INTERVAL '178956970-7' YEAR TO MONTH), (INTERVAL '0-1' YEAR TO MONTH) AS t(a)
