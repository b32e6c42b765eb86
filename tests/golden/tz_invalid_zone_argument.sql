-- error: INVALID_TIMEZONE
SELECT from_utc_timestamp(TIMESTAMP '2024-01-01 00:00:00', 'Mars/Olympus_Mons') AS t
