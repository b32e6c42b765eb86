-- error: WRONG_NUM_ARGS
SELECT lpad(gt) FROM activity
