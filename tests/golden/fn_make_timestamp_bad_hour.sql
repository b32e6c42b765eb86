-- error: DATETIME_FIELD_OUT_OF_BOUNDS
SELECT make_timestamp(2019, 2, 3, 24, 0, 0) FROM activity WHERE Index = 7
