-- error: DATATYPE_MISMATCH.NON_FOLDABLE_INPUT
SELECT percentile_approx(x, y) FROM activity
