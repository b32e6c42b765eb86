-- error: INTERVAL_ARITHMETIC_OVERFLOW
-- A year-month sum past an int's months overflows, as Spark's.
SELECT sum(a) FROM VALUES (INTERVAL '178956970-7' YEAR TO MONTH), (INTERVAL '0-1' YEAR TO MONTH) AS t(a)
