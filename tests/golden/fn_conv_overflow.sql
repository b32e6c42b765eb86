-- error: ARITHMETIC_OVERFLOW
-- conv of a number beyond 64 unsigned bits fails under ANSI.
SELECT conv(concat('18446744073709551616', Index), 10, 16) FROM activity
