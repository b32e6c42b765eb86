-- pmod of decimals is a decimal at the remainder's type; a decimal meets a
-- string in || and concat as its plain text.
SELECT pmod(CAST(5.5 AS DECIMAL(10,2)), 3) AS a, typeof(pmod(CAST(5.5 AS DECIMAL(10,2)), 3)) AS t,
       pmod(-5.5, 2) AS b, pmod(CAST(x AS DECIMAL(8,3)), 1.5) AS c, 1.5 || 'a' AS d, concat(CAST(y AS DECIMAL(6,2)), '/', 0.10) AS e
FROM activity WHERE Index % 1999 = 0
