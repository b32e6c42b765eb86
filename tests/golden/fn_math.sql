-- Math functions over columns and edge values (NaN, negative and zero arguments).
SELECT Index, Device,
       pow(x, 2) AS p2, power(2, Index % 10) AS p_int, exp(y) AS ex, expm1(z) AS em1,
       ln(abs(x)) AS lnx, ln(0) AS ln0, ln(-1) AS lnneg, log(10, 1000) AS l10, log(2.0, abs(y)) AS l2y, log(x) AS lnx2,
       log10(100) AS lg, log2(8) AS lg2, log1p(-1) AS l1p, signum(x) AS sg, sign(CAST('-0.0' AS DOUBLE)) AS sgz,
       cbrt(27) AS cb, hypot(3, 4) AS hy, degrees(pi()) AS deg, radians(180) AS rad,
       sin(x) AS s, cos(y) AS c, tan(z) AS t, atan2(y, x) AS a2, asin(2) AS asin_nan,
       sinh(1) AS sh, cosh(1) AS ch, tanh(x) AS th, e() AS e, pi() AS pi,
       pmod(Index, 7) AS pm, pmod(-7, 3) AS pmneg, pmod(CAST(-7.5 AS DOUBLE), 2) AS pmd,
       factorial(Index % 25) AS fact, bin(Index % 100) AS b, bin(-1) AS bneg, bit_count(Index) AS bc,
       shiftleft(Index % 1000, 3) AS shl, shiftright(-16, 2) AS shr, shiftleft(1, 33) AS shl33,
       bround(CAST(2.5 AS DOUBLE)) AS br1, bround(CAST(3.5 AS DOUBLE)) AS br2, bround(x, 2) AS brx, bround(CAST(-2.5 AS DOUBLE)) AS br3, bround(25, -1) AS br4
FROM activity WHERE Index % 1999 = 0
