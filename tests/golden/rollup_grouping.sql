SELECT User, gt, grouping(User) AS gu, grouping(gt) AS gg, grouping_id() AS gid, count(*) AS n, var_pop(z) AS vz FROM activity GROUP BY ROLLUP(User, gt)
