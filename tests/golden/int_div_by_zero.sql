-- error: DIVIDE_BY_ZERO
SELECT Index div (Index - Index) FROM activity
