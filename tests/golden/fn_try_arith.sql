-- try_add, try_subtract, try_multiply, try_divide, try_mod: Spark's operator types, NULL on overflow or a zero divisor.
SELECT Index, Device,
       try_add(Index, 2147483647) AS a_ovf, try_add(Index, 1) AS a1, try_add(CAST(Index AS BIGINT), 9223372036854775807) AS a_lovf,
       try_subtract(-2147483648, Index) AS s_ovf, try_subtract(Index, 0.5) AS s_dec, try_subtract(x, y) AS s_dbl,
       try_multiply(Index, 1000000) AS m_ovf, try_multiply(CAST(Index AS BIGINT), 1000000) AS m_long, try_multiply(1.5, Index) AS m_dec,
       try_divide(Index, Index % 3) AS d_zero, try_divide(x, 0) AS d_dzero, try_divide(10.5, Index % 4) AS d_dec, try_divide(Index, 7) AS d7,
       try_mod(Index, Index % 3) AS md_zero, try_mod(-7, 3) AS md_neg, try_mod(x, 2) AS md_dbl, try_mod(7.5, Index % 2) AS md_dec,
       try_add(NULL, Index) AS a_null, try_divide(NULL, 0) AS d_null, try_multiply(9223372036854775807, -1) AS m_lmin,
       try_mod(-9223372036854775808, -1) AS md_lmin, try_divide(-9223372036854775808, -1) AS d_lmin,
       try_add('1', Index) AS a_str, try_multiply(99999999999999999999999999999999999999, 10) AS m_dovf
FROM activity WHERE Index % 1999 = 0
