-- error: WRONG_NUM_ARGS
SELECT corr(x) FROM activity
