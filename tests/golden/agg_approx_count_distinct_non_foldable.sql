-- error: _LEGACY_ERROR_TEMP_1104
SELECT approx_count_distinct(x, y) FROM activity
