-- error: REMAINDER_BY_ZERO
SELECT pmod(Index, 0) FROM activity
