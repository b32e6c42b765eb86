-- error: DATETIME_FIELD_OUT_OF_BOUNDS
SELECT make_timestamp(2019, 2, 30, 23, 59, 1)
