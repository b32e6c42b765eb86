-- width_bucket, conv, the bitwise operators, mod, positive, negative: columns, NULLs, edges.
SELECT Index, Device,
       width_bucket(x, -10, 10, 5) AS wb, width_bucket(y, 10, -10, 4) AS wb_rev, width_bucket(Index, 0, 20000, 7) AS wb_i,
       width_bucket(x, 0, 0, 3) AS wb_eq, width_bucket(x, 0, 10, 0) AS wb_zero, width_bucket(NULL, 0, 10, 3) AS wb_null,
       width_bucket(CAST('NaN' AS DOUBLE), 0, 10, 3) AS wb_nan, width_bucket(5, 0, 10, 9223372036854775806) AS wb_big,
       width_bucket(1e308, -1e308, 1e308, 10) AS wb_ext, width_bucket(x, CAST('-Infinity' AS DOUBLE), 0, 3) AS wb_inf,
       conv(CAST(Index AS STRING), 10, 16) AS c16, conv(Device, 36, 10) AS c36, conv('  10', 10, 2) AS csp, conv('-7', 10, -2) AS cneg,
       conv('-1', 10, 16) AS cm1, conv('', 10, 2) AS cempty, conv('12', 37, 10) AS cbad, conv('9223372036854775807', 10, 16) AS cmax,
       conv('-9223372036854775809', 10, 10) AS cwrap, conv('-0', 10, -10) AS cnz, conv('1z', 10, 16) AS cstop, conv(Index, 10, 2) AS cnum,
       Index & 255 AS band, Index | 1 AS bor, Index ^ 170 AS bxor, ~Index AS bnot, CAST(Index AS BIGINT) & 15 AS bandl,
       '3' & Index AS bstr, Index & NULL AS bnull, ~CAST(0 AS BIGINT) AS bnotl, 5 | 3 ^ 1 & 7 AS bprec,
       mod(Index, 7) AS m7, mod(-Index, 7) AS mneg, mod(x, 2) AS mdbl, mod(7.5, 2) AS mdec,
       positive(x) AS px, positive('1.5') AS pstr, +Index AS pplus, negative(Index) AS ni, negative(x) AS nx, negative('2') AS nstr,
       negative(1.5) AS ndec, negative(NULL) AS nnull
FROM activity WHERE Index % 1999 = 0
