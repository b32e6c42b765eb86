SELECT gt, Index % 3 AS m, round(x, 0) AS rx, z > 0 AS zp, count(*) AS n, sum(Index) AS s, min(User) AS mu, max(y) AS my FROM activity GROUP BY gt, Index % 3, round(x, 0), z > 0
