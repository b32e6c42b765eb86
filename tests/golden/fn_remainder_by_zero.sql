-- error: REMAINDER_BY_ZERO
-- % by zero (of doubles too) is REMAINDER_BY_ZERO, not DIVIDE_BY_ZERO.
SELECT x % (Index - Index) FROM activity
