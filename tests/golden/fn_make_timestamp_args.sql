-- error: WRONG_NUM_ARGS
SELECT make_timestamp(2019, 2, 3, 4, 5)
