-- error: INVALID_TIMEZONE
SELECT make_timestamp(2019, 2, 3, 2, 59, 1, 'Mars/Olympus')
