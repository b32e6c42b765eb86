-- error: INVALID_INDEX_OF_ZERO
SELECT element_at(split(Device, '_'), 0) FROM activity
