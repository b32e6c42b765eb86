-- error: DATATYPE_MISMATCH.DATA_DIFF_TYPES
SELECT map_concat(map('a', 1), map(1, 2))
