SELECT Index, abs(x) AS a, round(y, 2) AS r, floor(z) AS f, ceil(z) AS c, sqrt(abs(x)) AS s, cast(x AS int) AS xi, cast(Index AS double) AS d FROM activity WHERE Index % 83 = 0
