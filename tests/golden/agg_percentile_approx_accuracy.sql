-- error: DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE
SELECT percentile_approx(x, 0.5, 0) FROM activity
