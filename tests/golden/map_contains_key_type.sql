-- error: DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES
SELECT map_contains_key(map('a', 1), 1)
