-- error: CAST_INVALID_INPUT
-- int(x) is CAST(x AS INT): a malformed string fails under ANSI.
SELECT int(gt) FROM activity
