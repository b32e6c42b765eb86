-- error: ARITHMETIC_OVERFLOW
-- bround of a BIGINT past its range to a negative scale overflows (ANSI).
SELECT bround(d, -1) FROM VALUES (9223372036854775807L) AS t(d)
