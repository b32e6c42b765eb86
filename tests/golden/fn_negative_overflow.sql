-- error: ARITHMETIC_OVERFLOW
-- negative(x) is -x: the least int overflows.
SELECT negative(CAST(Index - Index - 2147483648 AS INT)) FROM activity
