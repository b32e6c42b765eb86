-- error: DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE
SELECT percentile_approx(x, 1.5) FROM activity
