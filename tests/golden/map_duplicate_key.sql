-- error: DUPLICATED_MAP_KEY
SELECT map('a', 1, 'a', 2)
