-- error: DUPLICATED_MAP_KEY
SELECT map_concat(map('a', 1), map('a', 2))
