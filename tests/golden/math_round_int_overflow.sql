-- error: ARITHMETIC_OVERFLOW
-- round of an INT past its range to a negative scale overflows (ANSI).
SELECT round(c, -1) FROM VALUES (2147483647) AS t(c)
