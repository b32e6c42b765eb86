-- error: REMAINDER_BY_ZERO
-- mod(a, b) is a % b: a zero divisor fails under ANSI with Spark's remainder class.
SELECT mod(Index, Index - Index) FROM activity
