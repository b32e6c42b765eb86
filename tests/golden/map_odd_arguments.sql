-- error: WRONG_NUM_ARGS
SELECT map('a', 1, 'b')
