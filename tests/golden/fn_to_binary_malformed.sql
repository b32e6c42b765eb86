-- error: CONVERSION_INVALID_INPUT
-- to_binary(str, 'hex') of a non-hex string fails; try_to_binary gives NULL.
SELECT to_binary(gt, 'hex') FROM activity
