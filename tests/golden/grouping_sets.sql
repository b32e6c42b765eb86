SELECT User, model, count(*) AS n, max(x) AS mx FROM activity GROUP BY GROUPING SETS ((User, model), (User), ())
