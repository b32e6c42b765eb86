-- error: DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES
SELECT element_at(map(1, 'x'), '1')
