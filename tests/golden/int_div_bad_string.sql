-- error: CAST_INVALID_INPUT
SELECT gt div 2 FROM activity
