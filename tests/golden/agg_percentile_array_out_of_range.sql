-- error: DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE
SELECT percentile(x, array(0.5, -0.5)) FROM activity
