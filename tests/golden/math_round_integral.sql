-- round/bround of integers to negative scales keep the integer type
-- (HALF_UP / HALF_EVEN, exact), and pmod takes the wider integer type,
-- TINYINT and SMALLINT included.
SELECT round(a, -1) AS ra, round(b, -1) AS rb, round(c, -1) AS rc, round(d, -2) AS rd,
       bround(a, -1) AS ba, bround(b, -1) AS bb, bround(c, -1) AS bc, bround(d, -2) AS bd,
       typeof(round(a, -1)) AS ta, typeof(round(b, -1)) AS tb, typeof(round(c, -1)) AS tc, typeof(round(d, -1)) AS td,
       typeof(bround(c, -1)) AS tbc, typeof(bround(d, -1)) AS tbd,
       pmod(a, 3Y) AS pa, pmod(b, 3Y) AS pb, pmod(a, 3) AS pc, pmod(c, 3L) AS pd,
       typeof(pmod(a, 3Y)) AS tpa, typeof(pmod(b, 3Y)) AS tpb, typeof(pmod(a, 3)) AS tpc, typeof(pmod(c, 3L)) AS tpd
FROM VALUES (-7Y, 1255S, 12555, 125550L),
            (25Y, -1245S, -15, -250L),
            (35Y, 35S, 25, 350L),
            (NULL, NULL, NULL, NULL) AS t(a, b, c, d)
