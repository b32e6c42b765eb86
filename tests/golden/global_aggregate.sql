SELECT count(*) AS n, sum(x) AS sx, avg(z) AS az, min(Index) AS mi, max(Creation_Time) AS mc FROM activity
