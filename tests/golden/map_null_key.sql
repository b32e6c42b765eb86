-- error: NULL_MAP_KEY
SELECT map(NULL, 1)
