SELECT gt, model, count(*) AS n, count(gt) AS ngt, sum(Index) AS s, min(x) AS mn, max(z) AS mx, avg(y) AS a, min(User) AS minu, max(Device) AS maxd FROM activity GROUP BY gt, model
