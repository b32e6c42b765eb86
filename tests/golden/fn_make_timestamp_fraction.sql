-- error: INVALID_FRACTION_OF_SECOND
SELECT make_timestamp(2019, 6, 30, 23, 59, 60.5)
