-- error: WRONG_NUM_ARGS
-- A cast-named function takes exactly one argument.
SELECT int(Index, 2) FROM activity
