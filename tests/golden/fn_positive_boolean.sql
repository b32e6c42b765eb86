-- error: DATATYPE_MISMATCH
-- positive takes a number (or a string read as a double), not a boolean.
SELECT positive(Index > 3) FROM activity
