-- error: NULL_MAP_KEY
SELECT map_from_entries(array(struct(NULL, 1)))
