-- error: FAILED_FUNCTION_CALL
SELECT approx_count_distinct(x, 0.5) FROM activity
